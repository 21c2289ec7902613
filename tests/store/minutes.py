"""Small but real Korean TXT minutes for the worker tests, made from a seed (no two alike)."""

from __future__ import annotations

import random

ORGANISATIONS = ("㈜한빛전자", "㈜새롬디스플레이", "대경정밀㈜", "㈜에이치엠셀", "㈜누리모션", "㈜가나테크")
TITLES = ("대표", "이사", "연구소장", "상무", "팀장")
SURNAMES = "김이박최정강조윤장임한오서신권황"
STATEMENTS = (
    "고전압 절연 시험을 할 수 있는 곳이 도내에 없어서 샘플을 매번 경기도로 보내고 있습니다.",
    "결과를 받기까지 3주 넘게 걸려서 납기를 맞추기 어렵습니다.",
    "장비가 있어도 데이터를 읽어 줄 사람이 없으면 사진만 쌓이는 게 현실입니다.",
    "지역 대학 졸업생을 뽑아 놓으면 1~2년 일하고 대부분 수도권으로 옮겨 갑니다.",
    "현장 가공 인력은 평균 나이가 쉰다섯을 넘겨서 기술을 물려받을 사람도 마땅치 않습니다.",
    "유해화학물질 취급시설 허가를 받는 데만 일 년 가까이 걸렸습니다.",
    "소량 시험 생산 단계에서는 절차를 좀 간소하게 해 주시면 좋겠습니다.",
    "과제 협약할 때 민간 부담금을 현금으로 넣어야 하는 비율이 너무 높습니다.",
    "대기업 수요처가 양산 실적이 없다는 이유로 평가조차 해 주지 않습니다.",
    "공공기관이 실증 데이터를 확보하도록 먼저 써 주는 구매 연계가 있으면 좋겠습니다.",
    "CE 인증 비용이 제품 하나에 수천만 원이라 엄두가 나지 않습니다.",
    "지원사업 서류는 해마다 양식이 바뀌어서 직원 한 명이 몇 주씩 매달립니다.",
    "작년에 기술원 분석 장비를 이용해서 불량 원인을 잡았고 수율이 크게 올랐습니다.",
    "원청에서 매년 단가를 낮추라고 요구하는데 원자재 값은 오히려 올랐습니다.",
    "테크노파크 장비 예약이 석 달씩 밀려 있어서 시제품 일정을 맞출 수가 없습니다.",
    "수출바우처로 해외 전시회에 나갔는데 바이어 상담이 실제 계약으로 이어졌습니다.",
    "연락처는 010-1234-5678로 주시면 자료를 보내 드리겠습니다.",
)


def minutes(seed: int, turns: int = 12) -> str:
    """Minutes with a header (일시/장소/참석자) and *turns* speaker turns of one to three sentences."""
    pick = random.Random(seed)
    lines = [
        f"2024년 제{seed + 1}차 지역 기업 현장 간담회 결과",
        "",
        f"일시: 2024. {pick.randint(1, 12)}. {pick.randint(1, 28)}.(화) 14:00~16:00",
        f"장소: {pick.choice(('구미', '창원', '울산', '대구'))}전자정보기술원 2층 회의실",
        "참석자: 기업 대표 등 8명",
        "",
        "사회자: 바쁘신 가운데 자리해 주셔서 감사합니다. 기업별로 말씀을 듣겠습니다.",
        "",
    ]
    for _ in range(turns):
        speaker = f"{pick.choice(SURNAMES)}○○ {pick.choice(TITLES)}({pick.choice(ORGANISATIONS)})"
        said = " ".join(pick.sample(STATEMENTS, pick.randint(1, 3)))
        lines += [f"○ {speaker}: {said}", ""]
    return "\n".join(lines)
