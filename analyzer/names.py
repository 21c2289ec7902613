"""Korean person-name and title vocabulary shared by speaker labels and PII masking."""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


TWO_SYLLABLE_SURNAMES = ("남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방", "망절", "어금", "장곡")
SURNAMES = (
    "김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄채원천방"
    "공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부라계견두피태팽호좌빈범"
)

#: Job titles and honorifics around a name in minutes, transcripts and contact tables: research, public,
#: political and company ranks (longest first, so 대표이사 wins over 대표).
TITLES = tuple(
    sorted(
        _words("""
        박사후연구원 부연구위원 선임연구원 수석연구원 전임연구원 책임연구원 코디네이터 학생연구원 감사실장
        겸임교수 경찰서장 과장대리 국회의원 기획실장 대표이사 명예교수 명예회장 부구청장 부센터장 부이사관
        비서실장 사무국장 사무차장 사무처장 사무총장 상임이사 석좌교수 소방서장 연구교수 연구소장 연구실장
        연구위원 연구조교 전문위원 초빙교수 컨설턴트 CEO CFO CIO COO CTO 감사관 공장장 교육감 구의원 구청장
        군의원 그룹장 기획관 노무사 담당관 대변인 대통령 도의원 도지사 매니저 법무사 변리사 변호사 보좌관
        본부장 부교수 부국장 부군수 부단장 부사장 부소장 부시장 부원장 부의장 부지사 부총리 부회장 비서관
        사무관 사무장 서기관 선생님 세무사 센터장 시의원 실무관 심의관 연구관 연구원 위원장 이사관 이사장
        전문관 정책관 조교수 조정관 주무관 주사보 지도관 지사장 지점장 차관보 파트장 행정관 회계사 PD 간사
        감사 강사 계장 고문 과장 관장 교수 국장 군수 단장 대리 대표 박사 반장 부장 사원 사장 상무 서기 선생
        선임 소장 수석 시장 실장 원장 위원 의원 의장 이사 장관 전무 조장 주사 주임 차관 차장 책임 처장 청장
        총괄 총리 총장 총재 팀원 팀장 학생 회장 씨
        """),
        key=len,
        reverse=True,
    )
)

#: Titles that are also ordinary nouns (부품 시장 "market", 회계 감사 "audit", 설계 총괄, 한 팀원, 공고문): they only
#: count after a full name (three syllables) or a masked one (김○○), never after one or two syllables.
AMBIGUOUS_TITLES = frozenset(
    _words("시장 감사 총괄 팀원 고문 반장 조장 서기 주사 선생 학생 강사 컨설턴트 코디네이터 매니저")
)

#: Speaker roles that stand without a name.
ROLES = _words("사회자 진행자 좌장 의장 참석자 질문자 답변자 발언자 기업 패널 토론자 관계자 담당자 주최측 일동")

#: Words that look like "surname + given name" next to a title but are ordinary nouns.
NOT_NAMES = frozenset(
    _words("""
        각사 강원 같은 개발 결과 경기 경남 경북 고용 공고문 공공 공급 공단 공동 공동대표 공무원 공장 관계
        관계자 관내 광주 구매 구미 구의회 구직자 구청 국가 국내 국외 국회 군청 그런 그분 기관 기관명 기관장
        기술 기술혁신팀 기업 기업들 기업지원단 기존 기획 내용 내일 다른 담당 담당자 당시 대구 대변인실 대전
        대표자 대한 도내 도의회 도청 마케팅 명예 당사 본사 자사 귀사 소부장 인허가 전문가 모든 무슨 문의 문제
        문제점 민간 민원실 방문자 보도 부산 부서 부서명 부처 비고 비서실 사무실 사업 사업비 사업자 사용자 사회
        상반기 생산 서울 성과 성명 세종 센터 소속 소속팀 소재 소재지 수요 수출 시내 시의회 시청 시험 신규 신임
        신청인 신청자 실무 심사때 안산 어떤 어제 업체 여러 여러분 연구 연구기획팀 연구소 연구진 연구팀 연락처
        영업 오늘 오송 올해 우리 운영비 울산 원래 원하 위원회 유한 이런 이름 이메일 이번 이분 이상 이전 이하
        이후 인건비 인사 인증 인천 일부 작년 장비 재무 저런 저희 전남 전문 전북 전임 전체 전화 정리 정보화
        정부 정책 정책연구실 제조 제주 조합 조합원 주관 주관자 주식 주요 주최자 지금 지난 지역 지원 지원자
        지자체 진행자 차기 참여 창원 책임자 총무 충남 충북 포항 품질 하반기 한국 합자 해당 해외 현대화 현장
        협력 협회 홍보실 홍보팀 회사
    """)
)

#: Characters that, right after a title, show that the word is not a title but another word
#: (과장된, 대표적, 대리점, 시장성, 이사했다, 감사합니다, 감사드립니다, 원장실 ...).
NOT_AFTER_TITLE = "된되하해적점증품직권급형성합드했할단"

#: Words that come before a name in contact tables and attendee lists (담당자 주무관 김철수, 발언자: 이정재).
NAME_LEADERS = _words(
    "담당자 담당 책임자 작성자 작성 기록 검토 발표자 발표 토론자 토론 사회자 사회 진행자 발언자 주재 배석 문의 연락처 "
    "성명 이름 대표자 신청인"
)

#: Last syllables of ordinary nouns that follow a title (대표 제품군, 교수 연구실, 시장 조사단), never of a name.
NOUN_ENDINGS = "실팀과처청품법층료별률군회단장부권들"
