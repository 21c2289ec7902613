"""Text decoding with the encodings Korean files really use: BOM, UTF-8, CP949/EUC-KR, and files that mix
UTF-8 and CP949 lines; other encodings and mojibake are refused with ``undecodable_text``."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from analyzer.errors import AnalyzerError
from analyzer.ingest import ingest
from analyzer.ingest.hangul import _SUSPICIOUS, plausible_korean
from analyzer.ingest.text import MIXED, decode, normalise

FAST = settings(max_examples=200, deadline=None, database=None)

#: A CP949 file with one UTF-8 line that was stored as GB18030 mojibake before.
MINUTES = [
    "정리하면, 공정 개선 받고, 장비 좀 쓰게 해 주시고, 그다음에 판로까지 이어지게 엮어 주셨으면 합니다.",
    "CE 인증 비용을 바우처로 처리해서 부담이 많이 줄었음",
    "청년들이 제주에 정착할 수 있도록 연구직 인건비와 주거 지원을 함께 묶은 채용 지원이 필요하다.",
    "△△머티리얼즈 관계자는 국산화 소재의 양산 평가가 2년 이상 걸려 매출이 전혀 없다고 호소",
    "어… 탄소 규제가 세지니까 원청에서도 탄소 배출량 자료를 내라고 하는데, 산정할 사람이 없어요.",
    "대금 지급 기한 문제는 하도급법 개정안과 연계해서 업계 의견을 전달하겠습니다.",
    "의견 없습니다",
    "한 해저케이블 기업 관계자는 발전사와 컨소시엄을 꾸려 해상풍력 사업을 수주했다고 소개했다.",
    "내연기관 부품이 줄어드는 건 다 아는 얘기 아입니까. 전기차 부품으로 가야 되는 것도 알고예.",
    "■ 김제 농기계 기업 협의회 정례회의(6월) / 참석 11개사, 전북TP, 김제시",
]


def encode_lines(lines: list[str], codecs_by_line: list[str], end: str = "\r\n") -> bytes:
    return b"".join((line + end).encode(codec) for line, codec in zip(lines, codecs_by_line, strict=True))


def test_ingest_txt_reads_cp949_with_one_utf8_line_line_by_line() -> None:
    data = encode_lines(MINUTES, ["utf-8" if index == 6 else "cp949" for index in range(len(MINUTES))])
    document = ingest("회의록.txt", data, sandbox=False)
    assert document.encoding == MIXED == "utf-8+cp949"
    assert [block.text for block in document.blocks] == MINUTES


def test_ingest_csv_survey_with_mixed_lines_uses_the_same_decoding() -> None:
    rows = ["응답자,의견", "1,장비 예약이 너무 밀려 있습니다", "2,인증 비용 지원을 늘려 주세요", "3,만족합니다"]
    data = encode_lines(rows, ["cp949", "cp949", "utf-8", "cp949"])
    document = ingest("설문.csv", data, sandbox=False)
    assert document.encoding == MIXED
    assert [block.text for block in document.blocks] == [row.split(",")[1] for row in rows[1:]]


def test_decode_refuses_a_line_that_both_encodings_read_differently() -> None:
    data = encode_lines(MINUTES[:3], ["cp949"] * 3) + "만족\n".encode()  # also valid CP949: 留뚯”
    with pytest.raises(AnalyzerError) as caught:
        decode(data)
    assert caught.value.code == "undecodable_text"


def test_decode_reads_a_cp949_line_that_is_also_valid_utf8_as_cp949() -> None:
    lines = [*MINUTES[:3], "1,호환,체크"]  # 호환,체크 in CP949 is valid UTF-8 (Latin letters)
    data = encode_lines(lines, ["cp949"] * 4)
    assert decode(data) == decode(data) and decode(data).text == normalise("\r\n".join(lines) + "\r\n")
    assert decode(data).encoding == "cp949"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("\r\n".join(MINUTES).encode("euc-kr"), "cp949"),
        ("\r\n".join(MINUTES).encode("cp949"), "cp949"),
        ("\r\n".join(MINUTES).encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + "\r\n".join(MINUTES).encode("utf-16-be"), "utf-16"),
        ("\r\n".join(MINUTES).encode("utf-8-sig"), "utf-8-sig"),
        ("\r\n".join(MINUTES).encode("utf-8"), "utf-8"),
    ],
    ids=["euc-kr", "cp949", "utf-16-le-bom", "utf-16-be-bom", "utf-8-bom", "utf-8"],
)
def test_ingest_txt_reads_korean_encodings(data: bytes, encoding: str) -> None:
    document = ingest("회의록.txt", data, sandbox=False)
    assert document.encoding == encoding
    assert [block.text for block in document.blocks] == MINUTES


FOREIGN = [
    ("Ceci est un fichier français, très élégant.\nÜbermäßig schön, año.", "latin-1"),
    ("這是一個中文測試文件，台北市的公司發表了新產品。", "big5"),
    ("日本語のテキストです。東京都の会社が新しい製品を発表しました。", "shift_jis"),
    ("这是一个中文测试文件，北京市的公司发布了新产品。", "gb2312"),  # valid CP949 bytes: mojibake
]


@pytest.mark.parametrize(("text", "codec"), FOREIGN, ids=[codec for _, codec in FOREIGN])
def test_ingest_txt_refuses_other_encodings(text: str, codec: str) -> None:
    with pytest.raises(AnalyzerError) as caught:
        ingest("문서.txt", text.encode(codec), sandbox=False)
    assert caught.value.code == "undecodable_text"


def test_plausible_korean_tells_korean_from_mojibake() -> None:
    assert plausible_korean("\n".join(MINUTES))
    assert plausible_korean("홍길동(洪吉童) 대표는 장비 예약이 너무 밀려 있다고 말했다")  # a hanja name
    assert plausible_korean("韓")  # one ideograph is always forgiven
    assert plausible_korean("똠방각하")  # one uncommon syllable
    assert not plausible_korean("这是一个中文测试文件".encode("gb2312").decode("cp949"))
    assert not plausible_korean("의견 없습니다".encode().decode("cp949", errors="ignore"))
    assert not plausible_korean("장비\ue000예약")


COMMON = [chr(code) for code in range(0xAC00, 0xD7A4) if plausible_korean(chr(code) * 2)]
LINE = st.text(st.sampled_from([*COMMON[::7], *"가나다라 abc123.,?!()~…·○□-"]), max_size=40)


def _readings(raw: bytes) -> set[str]:
    readings = set()
    for codec in ("utf-8", "cp949"):
        try:
            readings.add(raw.decode(codec))
        except UnicodeDecodeError:
            continue
    return readings


@FAST
@given(
    st.lists(st.tuples(LINE, st.sampled_from(["utf-8", "cp949"])), min_size=1, max_size=8),
    st.sampled_from(["\n", "\r\n"]),
)
def test_decode_round_trips_korean_in_utf8_cp949_or_mixed_lines(lines: list[tuple[str, str]], end: str) -> None:
    texts, chosen = [line for line, _ in lines], [codec for _, codec in lines]
    data = encode_lines(texts, chosen, end)
    expected = normalise(end.join(texts) + end)
    # Bytes that are valid UTF-8 as a whole are UTF-8 text (짙 in CP949 is the UTF-8 of £): no check can tell.
    as_utf8 = data.decode("utf-8", errors="replace")
    assume("\ufffd" in as_utf8 or as_utf8 == end.join(texts) + end)
    ambiguous = any(len(_readings(text.encode(codec))) > 1 for text, codec in lines)
    try:
        decoded = decode(data)
    except AnalyzerError as error:
        assert error.code == "undecodable_text" and ambiguous
    else:
        assert decoded.text == expected  # never a different text


def test_uncommon_syllables_are_those_whose_cp949_code_is_outside_the_common_block() -> None:
    """The class built from the decoded KS X 1001 block is the one each syllable's own CP949 code gives."""
    for code in range(0xAC00, 0xD7A4):
        lead, trail = chr(code).encode("cp949")
        common = 0xB0 <= lead <= 0xC8 and trail >= 0xA1
        assert (_SUSPICIOUS.fullmatch(chr(code)) is None) == common, hex(code)
