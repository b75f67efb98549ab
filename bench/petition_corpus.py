"""Generated Vietnamese petition contents, and labelled near-duplicates of them.

    from petition_corpus import make_contents, labelled_pairs
    contents = make_contents(1000, seed=1)                       # demo data
    originals, queries = labelled_pairs(20000, seed=7, n_queries=2000)

Every petition is a complaint, denunciation, recommendation or feedback on one of ten topics (land
dispute, compensation for land recovery, land-use certificate, construction, social policy,
pollution, officials' conduct, corruption, noise, roads), written by a citizen of a hamlet, commune,
district and province drawn from a pool of places, so that many petitions share the place, the
topic and most of the administrative vocabulary. A petition is rendered from parts drawn
independently, each from its own seed:

- the place (and what belongs to it: the project that recovers land there, the road, the company);
- the person (name, year of birth, ID card and phone number, some of them);
- the facts (neighbour, official, dates, plot and map sheet numbers, areas, amounts, counts);
- the structure (which sentence of each topic's slots, greeting, opening and closing formulas),
  and the wording (each "[a|b]" choice inside a sentence, and the format of each date).

A query that duplicates an original (label: the original's index) is one of: a paraphrase (a share
of the wording choices drawn again, greeting, "Tôi xin trình bày …" and closing formulas added or
removed), the text without diacritics (sometimes also lower case), 1-3 typos (keyboard slips on
letters: the digits of dates and amounts are left as they are), sentences and clauses reordered,
or a mix of these. A hard negative (label None) is a different petition from the same place: same
topic with other facts and sentences, the same sentences and wording with other facts (a neighbour
copying the petition for their own plot, dates, amounts, company), or the same person on another
topic. `labelled_set` also names how each query was made (VARIANTS, NEGATIVES).

Everything is drawn from `random.Random` seeded with integers or strings, so the output depends
only on the arguments.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, replace


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


def _choices(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


KINDS = {
    "complaint": "khiếu nại",
    "denunciation": "tố cáo",
    "recommendation": "kiến nghị",
    "feedback": "phản ánh",
}

FAMILY = _words(
    "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương Lâm Mai Tạ Cao "
    "Lương Chu Hà Kiều Triệu Quách"
)
MIDDLE_M = _words("Văn Hữu Đức Minh Quang Công Xuân Thành Đình Ngọc Bá Quốc Trọng")
MIDDLE_F = _words("Thị Ngọc Thu Thanh Kim Hồng Mỹ Bích Thúy Diệu")
GIVEN_M = _words(
    "Hùng Dũng Tuấn Nam Hải Long Sơn Thắng Bình Cường Phúc Quý Tâm Lợi Thành Trung Khánh Hòa Tùng Việt Hiếu "
    "Nghĩa Toàn Lâm Định Thịnh Tài Đông Hưng Kiên Lực Mạnh Tiến Vinh Quyết Sáu Bảy Tư"
)
GIVEN_F = _words(
    "Lan Hoa Hương Mai Hạnh Nga Thủy Hằng Liên Yến Dung Phương Loan Tuyết Nhung Vân Trang Thảo Oanh Huệ "
    "Xuân Ngân Hiền Lý Cúc Đào Sen Nhàn"
)

PLACE_A = _words(
    "Tân An Phú Hòa Xuân Nghĩa Quảng Đức Yên Thanh Bình Mỹ Long Vĩnh Hưng Phước Tam Cẩm Thái Hải"
)
PLACE_B = _words(
    "Hiệp Lợi Bình Thuận Phú Đồng Thạnh Sơn Hà Lộc Hưng Thành Phong Hòa An Tiến Thịnh Trung Điền Mỹ Khê Lâm"
)
HAMLET_NAMES = _words(
    "Đông Tây Nam Bắc Thượng Hạ Trung Chùa Đình Giếng Đồng Cầu Bến Bàu Gò Rẫy Dốc Suối Trại Chợ Mới Cũ"
)
PROVINCES = _choices(
    "tỉnh Thanh Hóa|tỉnh Nghệ An|tỉnh Hà Tĩnh|tỉnh Quảng Trị|thành phố Huế|thành phố Đà Nẵng|tỉnh Quảng "
    "Ngãi|tỉnh Gia Lai|tỉnh Đắk Lắk|tỉnh Khánh Hòa|tỉnh Lâm Đồng|tỉnh Đồng Nai|tỉnh Tây Ninh|tỉnh Đồng "
    "Tháp|tỉnh An Giang|tỉnh Vĩnh Long|thành phố Cần Thơ|tỉnh Cà Mau|thành phố Hà Nội|tỉnh Ninh Bình|tỉnh "
    "Hưng Yên|tỉnh Phú Thọ|tỉnh Bắc Ninh|tỉnh Thái Nguyên|tỉnh Tuyên Quang|tỉnh Lào Cai|tỉnh Sơn La|thành "
    "phố Hải Phòng"
)
COMPANY_NAMES = _choices(
    "Hưng Thịnh|Minh Phát|Thành Công|Phú Gia|Đại Dương|Hoàng Long|Tân Tiến|An Phát|Việt Úc|Sao Mai|Nam "
    "Việt|Trường Sơn|Hòa Phát Lợi|Kim Ngân|Thiên Phú|Đông Á|Bảo Minh|Hải Âu"
)
PROJECTS = _choices(
    "dự án đường giao thông nối {a} đi {b}|dự án khu dân cư {a}|dự án cụm công nghiệp {a}|dự án mở rộng "
    "Quốc lộ {n}|dự án hồ chứa nước {a}|dự án khu tái định cư {a}|dự án trường học {a}|dự án đường tránh "
    "{a}|dự án khu đô thị mới {a}"
)
TREES = _words("bưởi nhãn vải cà phê hồ tiêu điều keo bạch đàn xoài mít cau dừa")
BENEFITS = _choices(
    "người có công|bảo trợ xã hội|hộ nghèo|bảo hiểm y tế|người cao tuổi|người khuyết tật|thờ cúng liệt sĩ"
)
PROCEDURES = _choices(
    "chứng thực giấy tờ|đăng ký khai sinh cho con|xác nhận hộ nghèo|đăng ký biến động đất đai|đăng ký "
    "thường trú|xác nhận tình trạng hôn nhân|đăng ký kết hôn|chuyển mục đích sử dụng đất"
)
OFFICIAL_POSITIONS = _choices(
    "cán bộ địa chính xã|ông Phó Chủ tịch UBND xã|trưởng thôn|công chức tư pháp - hộ tịch|cán bộ chính sách "
    "xã|ông Chủ tịch UBND xã|kế toán xã|cán bộ một cửa"
)
CORRUPT_AREAS = _choices(
    "xét duyệt hộ nghèo|cấp giấy chứng nhận quyền sử dụng đất|lập danh sách bồi thường|cấp phép xây "
    "dựng|chi trả chế độ chính sách|quản lý quỹ đóng góp của nhân dân"
)
PROMISES = _choices(
    "giải quyết nhanh hồ sơ|đưa gia đình tôi vào danh sách được hỗ trợ|cấp giấy chứng nhận trong một "
    "tháng|cho xây dựng nhà không cần giấy phép|tăng đơn giá bồi thường"
)

UBND = ("UBND", "Ủy ban nhân dân")


@dataclass(frozen=True)
class Topic:
    subject: str
    kinds: tuple[str, ...]
    slots: tuple[tuple[float, tuple[str, ...]], ...]  # (probability the slot is used, its sentences)
    requests: tuple[str, ...]


TOPICS: dict[str, Topic] = {
    "land_dispute": Topic(
        "[tranh chấp đất đai|tranh chấp ranh giới thửa đất] với hộ liền kề",
        ("recommendation", "complaint"),
        (
            (
                1.0,
                (
                    "[gia đình tôi|hộ gia đình tôi] đang sử dụng thửa đất số {plot}, tờ bản đồ số {sheet}, "
                    "diện tích {area} m2 tại {hamlet}, đã được cấp giấy chứng nhận quyền sử dụng đất năm "
                    "{year}",
                    "năm {year}, [gia đình tôi|hộ gia đình tôi] được cấp giấy chứng nhận quyền sử dụng đất "
                    "đối với thửa đất số {plot}, tờ bản đồ số {sheet}, diện tích {area} m2",
                    "thửa đất số {plot}, tờ bản đồ số {sheet} tại {hamlet} của gia đình tôi có nguồn gốc do "
                    "[ông bà|cha mẹ] để lại, [sử dụng ổn định|canh tác liên tục] từ năm {year}, không có "
                    "tranh chấp",
                ),
            ),
            (
                1.0,
                (
                    "ngày {date1}, [gia đình|hộ] {ntitle} {neighbour} ở liền kề đã tự ý xây tường rào lấn "
                    "sang đất nhà tôi khoảng {small_area} m2",
                    "từ tháng {month}/{year2}, {ntitle} {neighbour} là hộ liền kề đã lấn chiếm khoảng "
                    "{small_area} m2 đất của gia đình tôi để [làm lối đi|mở rộng sân|làm chuồng trại]",
                    "hộ {ntitle} {neighbour} đã [đổ đất, trồng cây|đào móng, dựng cột] lấn sang phần đất "
                    "của gia đình tôi, làm thay đổi ranh giới thửa đất",
                    "khi đo đạc lại vào ngày {date1}, diện tích thửa đất của gia đình tôi bị thiếu "
                    "{small_area} m2 so với giấy chứng nhận do hộ {ntitle} {neighbour} lấn sang",
                ),
            ),
            (
                0.7,
                (
                    "tôi đã nhiều lần [gặp|trao đổi với] {ntitle} {neighbour} để [thỏa thuận|thương lượng] "
                    "nhưng không [được chấp nhận|có kết quả]",
                    "sự việc đã được [tổ hòa giải thôn|ban hòa giải ở cơ sở] hòa giải ngày {date2} nhưng "
                    "không thành",
                    "gia đình tôi đã làm đơn gửi {ubnd} {commune} nhưng [đến nay|cho đến nay|tới nay] [vẫn "
                    "chưa|chưa] được giải quyết dứt điểm",
                ),
            ),
            (
                0.5,
                (
                    "việc lấn chiếm [này|nêu trên] gây thiệt hại cho gia đình tôi và ảnh hưởng đến tình "
                    "làng nghĩa xóm",
                    "hiện nay {ntitle} {neighbour} vẫn tiếp tục [xây dựng|sử dụng] trên phần đất lấn chiếm",
                ),
            ),
        ),
        (
            "[đề nghị|kính đề nghị|tôi đề nghị] {ubnd} {commune} tổ chức đo đạc lại ranh giới thửa đất và "
            "buộc {ntitle} {neighbour} trả lại phần đất đã lấn chiếm",
            "[đề nghị|kính đề nghị] {agency} [xác minh|kiểm tra], giải quyết [dứt điểm|] tranh chấp để bảo "
            "vệ quyền lợi hợp pháp của gia đình tôi",
        ),
    ),
    "compensation": Topic(
        "bồi thường, hỗ trợ khi Nhà nước thu hồi đất",
        ("complaint", "recommendation"),
        (
            (
                1.0,
                (
                    "năm {year2}, gia đình tôi bị thu hồi {area} m2 đất [nông nghiệp|trồng lúa|trồng cây "
                    "lâu năm] để thực hiện {project}",
                    "thực hiện {project}, Nhà nước đã thu hồi thửa đất số {plot}, tờ bản đồ số {sheet} của "
                    "gia đình tôi với diện tích {area} m2",
                    "gia đình tôi có {area} m2 [đất ở và đất vườn|đất ở|đất sản xuất] nằm trong [phạm "
                    "vi|diện] thu hồi [của|để thực hiện] {project}",
                ),
            ),
            (
                1.0,
                (
                    "theo phương án [được phê duyệt|bồi thường được duyệt] ngày {date1}, gia đình tôi chỉ "
                    "được bồi thường {amount}, thấp hơn nhiều so với giá thị trường",
                    "đơn giá bồi thường {price} đồng/m2 mà Hội đồng bồi thường áp dụng là quá thấp, không "
                    "tương xứng với giá chuyển nhượng thực tế tại địa phương",
                    "[đến nay|cho đến nay|tới nay] gia đình tôi vẫn chưa nhận được [khoản|tiền] hỗ trợ "
                    "chuyển đổi nghề nghiệp và tạo việc làm theo quy định",
                    "Quyết định số {decision}/QĐ-UBND ngày {date1} về việc bồi thường cho gia đình tôi xác "
                    "định sai loại đất và vị trí thửa đất",
                ),
            ),
            (
                0.7,
                (
                    "phần tài sản trên đất gồm {assets} chưa được kiểm đếm đầy đủ",
                    "gia đình tôi thuộc diện phải di dời nhưng [chưa được bố trí|vẫn chưa được giao] đất "
                    "tái định cư",
                    "nhiều hộ khác ở {hamlet} có cùng vị trí nhưng được áp giá cao hơn gia đình tôi",
                    "gia đình tôi đã nhận {amount2} tiền tạm ứng nhưng phần còn lại chưa được chi trả",
                ),
            ),
            (
                0.4,
                (
                    "gia đình tôi [đã có đơn|đã gửi đơn] [khiếu nại lần đầu|kiến nghị] ngày {date2} nhưng "
                    "[chưa nhận được trả lời|không được trả lời]",
                    "việc thu hồi đất khiến gia đình tôi mất [tư liệu sản xuất|nguồn thu nhập chính], cuộc "
                    "sống rất khó khăn",
                ),
            ),
        ),
        (
            "[đề nghị|kính đề nghị] {agency} xem xét lại phương án bồi thường, hỗ trợ và tái định cư cho "
            "gia đình tôi",
            "tôi [khiếu nại|đề nghị xem xét lại] quyết định bồi thường [nêu trên|của {ubnd} {district}] và "
            "đề nghị điều chỉnh đơn giá cho phù hợp",
            "[đề nghị|yêu cầu] Hội đồng bồi thường [kiểm đếm lại|kiểm tra lại] tài sản và chi trả đầy đủ "
            "[tiền bồi thường|các khoản bồi thường, hỗ trợ] cho gia đình tôi",
        ),
    ),
    "certificate": Topic(
        "chậm cấp giấy chứng nhận quyền sử dụng đất",
        ("recommendation", "complaint", "feedback"),
        (
            (
                1.0,
                (
                    "ngày {date1}, tôi đã nộp hồ sơ đề nghị cấp giấy chứng nhận quyền sử dụng đất cho thửa "
                    "đất số {plot}, tờ bản đồ số {sheet} tại [bộ phận một cửa|bộ phận tiếp nhận và trả kết "
                    "quả] {commune}",
                    "gia đình tôi đã nộp đầy đủ hồ sơ xin [cấp đổi|cấp lại|cấp] giấy chứng nhận quyền sử "
                    "dụng đất [từ ngày|vào ngày] {date1}",
                    "thửa đất {area} m2 tại {hamlet} gia đình tôi [nhận chuyển nhượng|mua lại] của {ntitle} "
                    "{neighbour} năm {year}, đã làm thủ tục sang tên từ ngày {date1}",
                ),
            ),
            (
                1.0,
                (
                    "đã quá thời hạn giải quyết {months} tháng nhưng [đến nay|cho đến nay|tới nay] vẫn chưa "
                    "được cấp giấy",
                    "mỗi lần [hỏi|liên hệ], cán bộ địa chính đều trả lời hồ sơ còn thiếu giấy tờ nhưng "
                    "không hướng dẫn cụ thể",
                    "hồ sơ [bị trả lại|bị trả về] {times} lần với [các lý do|lý do] khác nhau",
                    "Văn phòng đăng ký đất đai [yêu cầu|buộc] gia đình tôi nộp thêm {amount} tiền sử dụng "
                    "đất mà không giải thích căn cứ",
                ),
            ),
            (
                0.6,
                (
                    "việc chậm cấp giấy khiến gia đình tôi không thể [thế chấp vay vốn ngân hàng|vay vốn] "
                    "để sản xuất",
                    "các hộ lân cận nộp hồ sơ cùng thời điểm đã được cấp giấy",
                    "thửa đất đã được đo đạc ngày {date2} và không có tranh chấp",
                ),
            ),
        ),
        (
            "[đề nghị|kính đề nghị] {agency} kiểm tra, chỉ đạo giải quyết hồ sơ cấp giấy chứng nhận cho gia "
            "đình tôi",
            "[kính đề nghị|đề nghị] làm rõ trách nhiệm của bộ phận chuyên môn trong việc chậm [trễ|] giải "
            "quyết hồ sơ [và sớm cấp giấy cho gia đình tôi|]",
        ),
    ),
    "construction": Topic(
        "xây dựng [không phép|trái phép] tại {hamlet}",
        ("feedback", "recommendation", "denunciation"),
        (
            (
                1.0,
                (
                    "từ tháng {month}/{year2}, hộ {ntitle} {neighbour} tại {hamlet} tiến hành xây dựng nhà "
                    "{floors} tầng [không có giấy phép xây dựng|mà không có giấy phép]",
                    "{company} đang xây dựng nhà xưởng [trên đất nông nghiệp|trên đất trồng lúa] tại "
                    "{hamlet} mà không có giấy phép",
                    "công trình nhà ở của hộ {ntitle} {neighbour} [xây dựng sai phép|xây sai giấy phép], "
                    "vượt {floors} tầng so với giấy phép được cấp",
                    "ngày {date1}, {ntitle} {neighbour} [cho san lấp|tự ý san lấp] {area} m2 đất ruộng để "
                    "xây dựng [kho bãi|nhà trọ] [trái phép|không phép]",
                ),
            ),
            (
                1.0,
                (
                    "công trình xây lấn ra hành lang an toàn giao thông khoảng {meters} m",
                    "trong quá trình thi công, [móng nhà|việc đóng cọc] đã làm nứt tường nhà tôi",
                    "việc xây dựng gây cản trở lối đi chung của {households} hộ dân",
                    "công trình [che khuất|bịt kín] cửa sổ và lối thoát nước của gia đình tôi",
                ),
            ),
            (
                0.6,
                (
                    "chúng tôi đã báo cáo với trưởng thôn và {ubnd} {commune} nhưng công trình vẫn tiếp tục "
                    "thi công",
                    "{ubnd} {commune} đã lập biên bản vi phạm ngày {date2} nhưng không xử lý dứt điểm",
                ),
            ),
        ),
        (
            "[đề nghị|kính đề nghị] {agency} kiểm tra, đình chỉ thi công và xử lý nghiêm công trình vi phạm",
            "[đề nghị|yêu cầu] buộc tháo dỡ phần công trình xây dựng trái phép, [trả lại hiện trạng ban "
            "đầu|khôi phục hiện trạng]",
            "[đề nghị|kính đề nghị] {agency} [buộc chủ công trình bồi thường|yêu cầu bồi thường] thiệt hại "
            "cho gia đình tôi",
        ),
    ),
    "social_policy": Topic(
        "[chế độ|chính sách] {benefit}",
        ("recommendation", "complaint"),
        (
            (
                1.0,
                (
                    "bố tôi là [liệt sĩ|người có công với cách mạng], tham gia kháng chiến từ năm "
                    "{old_year}, đã mất năm {year}",
                    "mẹ tôi năm nay {age} tuổi, sống một mình, không có lương hưu",
                    "gia đình tôi thuộc diện hộ nghèo năm {year} của {commune}",
                    "tôi là thương binh hạng {rank}/4, tỷ lệ [tổn thương cơ thể|thương tật] {percent}%",
                    "con tôi [bị khuyết tật bẩm sinh|bị bại não] từ nhỏ, [không tự phục vụ được|cần người "
                    "chăm sóc thường xuyên]",
                ),
            ),
            (
                1.0,
                (
                    "năm {year2}, gia đình tôi đã làm hồ sơ đề nghị hưởng [trợ cấp|chế độ] {benefit} nhưng "
                    "[đến nay|cho đến nay|tới nay] chưa được giải quyết",
                    "tháng {month}/{year2}, gia đình tôi bị cắt [trợ cấp|chế độ] {benefit} mà không được "
                    "thông báo lý do",
                    "trong đợt rà soát cuối năm {year2}, gia đình tôi bị đưa ra khỏi danh sách hộ nghèo dù "
                    "hoàn cảnh không thay đổi",
                    "hồ sơ đề nghị hưởng chế độ {benefit} nộp ngày {date1} bị thất lạc, cán bộ chính sách "
                    "yêu cầu làm lại từ đầu",
                ),
            ),
            (
                0.6,
                (
                    "hiện nay gia đình tôi gặp rất nhiều khó khăn, không có khả năng chi trả tiền chữa bệnh",
                    "trong khi đó một số hộ có điều kiện kinh tế khá hơn vẫn được hưởng chính sách",
                    "gia đình tôi đã [nhiều lần|{times} lần] lên {ubnd} {commune} hỏi nhưng chỉ được hẹn",
                ),
            ),
        ),
        (
            "[đề nghị|kính đề nghị] {agency} xem xét, giải quyết chế độ {benefit} cho gia đình tôi theo "
            "đúng quy định",
            "[kính đề nghị|đề nghị] rà soát lại danh sách để bảo đảm công bằng[ và đúng đối tượng|, đúng "
            "đối tượng]",
            "[đề nghị|kính đề nghị] truy lĩnh [khoản trợ cấp|chế độ] {benefit} cho gia đình tôi từ tháng "
            "{month}/{year2}",
        ),
    ),
    "pollution": Topic(
        "ô nhiễm môi trường[ tại {hamlet}|]",
        ("feedback", "recommendation"),
        (
            (
                1.0,
                (
                    "{polluter} tại {hamlet} hoạt động từ năm {year}, cách nhà dân khoảng {distance} m",
                    "từ tháng {month}/{year2}, {polluter} đã xả nước thải chưa qua xử lý ra [mương thoát "
                    "nước chung|kênh tưới tiêu] của thôn",
                    "{polluter} [thường xuyên đốt|đốt] rác thải, phế liệu vào ban đêm",
                ),
            ),
            (
                1.0,
                (
                    "mùi hôi thối bốc lên nồng nặc, nhất là vào buổi tối và những ngày nắng nóng",
                    "khói bụi phát tán khiến nhiều hộ dân phải đóng cửa suốt ngày",
                    "nước giếng của các hộ dân xung quanh bị đổi màu, có mùi lạ, không thể sử dụng",
                    "cá chết hàng loạt ở ao, hồ trong khu vực, lúa bị vàng, chết",
                ),
            ),
            (
                0.7,
                (
                    "nhiều người dân, đặc biệt là trẻ em và người già, bị mắc các bệnh về đường hô hấp",
                    "người dân đã nhiều lần phản ánh tại các buổi tiếp xúc cử tri nhưng tình trạng vẫn "
                    "không được khắc phục",
                    "có khoảng {households} hộ dân bị ảnh hưởng trực tiếp",
                    "ngày {date1}, đoàn kiểm tra của {district} đã [xuống làm việc|lập biên bản] nhưng sau "
                    "đó cơ sở vẫn hoạt động bình thường",
                ),
            ),
        ),
        (
            "[đề nghị|kính đề nghị] {agency} kiểm tra, xử lý nghiêm hành vi gây ô nhiễm môi trường",
            "[đề nghị|yêu cầu] buộc cơ sở di dời ra khỏi khu dân cư hoặc đầu tư hệ thống xử lý chất thải "
            "đạt [chuẩn|quy chuẩn]",
        ),
    ),
    "conduct": Topic(
        "thái độ, tác phong của cán bộ[ {commune}|]",
        ("feedback", "complaint", "denunciation"),
        (
            (
                1.0,
                (
                    "ngày {date1}, tôi đến {office} để làm thủ tục {procedure}",
                    "ngày {date1}, khi tôi liên hệ {office} để làm thủ tục {procedure}, cán bộ tiếp nhận đã "
                    "từ chối nhận hồ sơ",
                    "từ tháng {month}/{year2}, tôi [nhiều lần|{times} lần] đến {office} để làm thủ tục "
                    "{procedure}",
                ),
            ),
            (
                1.0,
                (
                    "{opos} {official} đã có thái độ hách dịch, quát nạt và không hướng dẫn thủ tục",
                    "{opos} {official} yêu cầu tôi bổ sung nhiều giấy tờ không có trong quy định",
                    "{opos} {official} hẹn [đến|tới] {times} lần nhưng vẫn không giải quyết",
                    "{opos} {official} [gợi ý|ám chỉ] phải [bồi dưỡng|chi thêm tiền] thì hồ sơ mới được "
                    "giải quyết nhanh",
                ),
            ),
            (
                0.6,
                (
                    "hành vi này gây bức xúc cho người dân và làm ảnh hưởng đến uy tín của chính quyền địa "
                    "phương",
                    "nhiều người dân khác cũng gặp tình trạng tương tự",
                    "[trong giờ làm việc|trong giờ hành chính], {official} thường xuyên vắng mặt [không rõ "
                    "lý do|mà không có ai thay]",
                ),
            ),
        ),
        (
            "[đề nghị|kính đề nghị] {agency} xem xét, chấn chỉnh thái độ, tác phong làm việc của cán bộ "
            "[nêu trên|này]",
            "[kính đề nghị|đề nghị] kiểm điểm, xử lý trách nhiệm đối với {opos} {official}",
        ),
    ),
    "corruption": Topic(
        "[hành vi|sai phạm] của {opos} {official}",
        ("denunciation",),
        (
            (
                1.0,
                (
                    "tôi làm đơn này tố cáo {opos} {official} có hành vi [nhận hối lộ|lợi dụng chức vụ, "
                    "quyền hạn] [trong việc|khi] {corrupt_area}",
                    "tôi xin tố cáo hành vi sai phạm của {opos} {official} trong việc {corrupt_area}",
                ),
            ),
            (
                1.0,
                (
                    "cụ thể, ngày {date1}, {official} đã nhận của gia đình tôi số tiền {amount} để [hứa "
                    "hẹn|hứa] {promise}",
                    "năm {year2}, {official} đã lập hồ sơ khống, kê khai {households} hộ không đủ điều kiện "
                    "để nhận hỗ trợ",
                    "số tiền {amount} thu của {households} hộ dân để [làm đường thôn|xây nhà văn hóa thôn] "
                    "nhưng không công khai thu chi",
                    "{official} đã [tự ý |]ký xác nhận nguồn gốc đất sai sự thật cho {ntitle} {neighbour} "
                    "để được cấp {area} m2 đất",
                ),
            ),
            (
                0.7,
                (
                    "[đến nay|cho đến nay|tới nay] sự việc không được thực hiện và số tiền trên cũng không "
                    "được trả lại",
                    "tôi có đầy đủ [giấy tờ, chứng cứ|chứng cứ] và sẵn sàng cung cấp cho cơ quan chức năng",
                    "nhiều hộ dân khác [cũng là nạn nhân|cũng bị thiệt hại][ của hành vi này|]",
                ),
            ),
        ),
        (
            "[đề nghị|kính đề nghị] {agency} thanh tra, làm rõ và xử lý nghiêm theo quy định của pháp luật",
            "[kính đề nghị|đề nghị] cơ quan có thẩm quyền xác minh, thu hồi số tiền sai phạm và bảo vệ "
            "người tố cáo",
        ),
    ),
    "noise": Topic(
        "tiếng ồn[ kéo dài|] tại {hamlet}",
        ("feedback", "recommendation"),
        (
            (
                1.0,
                (
                    "cơ sở kinh doanh karaoke của {ntitle} {neighbour} tại {hamlet} thường xuyên hoạt động "
                    "đến {hour} giờ đêm",
                    "xưởng cưa gỗ của {ntitle} {neighbour} hoạt động cả ngày lẫn đêm, kể cả ngày nghỉ",
                    "từ tháng {month}/{year2}, {company} thi công công trình vào ban đêm với máy móc công "
                    "suất lớn",
                    "gia đình {ntitle} {neighbour} thường xuyên mở loa [công suất lớn|kẹo kéo] hát karaoke "
                    "đến khuya",
                ),
            ),
            (
                1.0,
                (
                    "tiếng ồn lớn gây ảnh hưởng nghiêm trọng đến sinh hoạt, việc học tập của trẻ em và sức "
                    "khỏe người già",
                    "nhiều hộ dân xung quanh [mất ngủ kéo dài|bị mất ngủ triền miên]",
                    "tiếng ồn vượt quy chuẩn cho phép, kéo dài đến {hour} giờ đêm",
                ),
            ),
            (
                0.6,
                (
                    "chúng tôi đã góp ý trực tiếp nhưng chủ cơ sở không tiếp thu",
                    "công an {commune} đã đến nhắc nhở ngày {date1} nhưng sau đó tình trạng vẫn tiếp diễn",
                ),
            ),
        ),
        (
            "[đề nghị|kính đề nghị] {agency} kiểm tra, xử lý vi phạm về tiếng ồn và quy định giờ hoạt động",
            "[đề nghị|yêu cầu] chấm dứt tình trạng gây ồn [vào ban đêm|sau 22 giờ] để người dân được nghỉ "
            "ngơi",
        ),
    ),
    "road": Topic(
        "[tuyến đường|con đường] qua {hamlet}",
        ("recommendation", "feedback"),
        (
            (
                1.0,
                (
                    "{road} qua {hamlet} dài khoảng {length} m đã xuống cấp nghiêm trọng, nhiều ổ gà, ổ voi",
                    "{road} được đầu tư xây dựng năm {year} nhưng chỉ sau {months} tháng đã bong tróc, sụt "
                    "lún",
                    "[tuyến |]{road} đang thi công dở dang từ tháng {month}/{year2} [rồi bỏ đó|và bị bỏ dở]",
                ),
            ),
            (
                1.0,
                (
                    "mùa mưa nước ngập sâu, học sinh và người dân đi lại rất khó khăn",
                    "đã xảy ra {times} vụ tai nạn giao thông tại đoạn đường này",
                    "hệ thống mương thoát nước hai bên đường bị bồi lấp, không có đèn chiếu sáng",
                    "xe tải chở vật liệu của {company} chạy [liên tục|suốt ngày đêm] làm đường hư hỏng nặng",
                ),
            ),
            (
                0.6,
                (
                    "người dân đã đóng góp {amount} để sửa chữa nhưng không đủ kinh phí",
                    "việc thi công không bảo đảm chất lượng, có dấu hiệu [rút ruột công trình|bớt xén vật "
                    "liệu]",
                    "{ubnd} {commune} đã hứa sửa chữa từ năm {year2} nhưng [đến nay|cho đến nay|tới nay] "
                    "chưa thực hiện",
                ),
            ),
        ),
        (
            "[đề nghị|kính đề nghị] {agency} bố trí kinh phí sửa chữa, nâng cấp tuyến đường",
            "[đề nghị|kính đề nghị] kiểm tra chất lượng công trình và trách nhiệm của đơn vị thi công",
        ),
    ),
}

GREETINGS = (
    "kính gửi: Chủ tịch {ubnd} {commune}",
    "kính gửi: {ubnd} {district}",
    "kính gửi: Ban Tiếp công dân {province}",
    "kính gửi: Thanh tra {district}",
    "kính gửi: Ủy ban Mặt trận Tổ quốc Việt Nam {commune}",
)
INTROS = (
    "tôi tên là {person}, sinh năm {birth}, [trú tại|thường trú tại|hiện cư trú tại] {hamlet}, {commune}, "
    "{district}, {province}",
    "tôi là {person}, sinh năm {birth}, [hiện cư trú tại|trú tại] {hamlet}, {commune}, {province}",
    "họ và tên người {kind}: {person}, [sinh năm|năm sinh] {birth}; địa chỉ: {hamlet}, {commune}, "
    "{district}, {province}",
    "chúng tôi [gồm|là] {households} hộ dân [sinh sống|cư trú] tại {hamlet}, {commune}, {province}, [đại "
    "diện là|người đại diện:] {ptitle} {person}",
    "tôi là {person}, [trú tại|ở] {hamlet}, {commune}, {district}",
)
IDENTITY = (
    "số căn cước công dân: {id_number}",
    "[số điện thoại|điện thoại liên hệ]: {phone}",
)
PURPOSES = (
    "tôi làm đơn này [để |]{kind} về việc {subject}",
    "nay tôi làm đơn {kind} [về việc|đối với việc] {subject}",
)
LEADS = (
    "tôi xin trình bày sự việc như sau:",
    "sự việc cụ thể như sau:",
    "tôi xin trình bày nội dung như sau:",
)
CLOSINGS = (
    "tôi xin cam đoan những nội dung trình bày trên là đúng sự thật",
    "tôi xin chân thành cảm ơn",
    "kính mong các cấp quan tâm giải quyết",
    "rất mong nhận được sự quan tâm của các cấp chính quyền",
    "[xin trân trọng cảm ơn|trân trọng cảm ơn]",
)


@dataclass(frozen=True)
class Place:
    hamlet: str
    commune: str
    district: str
    province: str
    project: str
    road: str
    company: str


@dataclass(frozen=True)
class Structure:
    """Which sentences a petition is made of (indices into the tables above); None when absent."""

    topic: str
    kind: str
    greeting: int | None
    intro: int
    identity: tuple[int, ...]
    purpose: int | None
    lead: int | None
    body: tuple[tuple[int, int], ...]  # (slot, sentence)
    request: int
    closings: tuple[int, ...]


@dataclass(frozen=True)
class Spec:
    """Everything a petition's text is rendered from."""

    place: Place
    person_seed: int
    facts_seed: int
    structure: Structure
    wording_seed: int
    redraw_seed: int = 0  # a paraphrase draws again a share of the wording choices
    redraw: float = 0.0


def _name(rng: random.Random, male: bool) -> str:
    middle, given = (MIDDLE_M, GIVEN_M) if male else (MIDDLE_F, GIVEN_F)
    return f"{rng.choice(FAMILY)} {rng.choice(middle)} {rng.choice(given)}"


def _place_name(rng: random.Random) -> str:
    return f"{rng.choice(PLACE_A)} {rng.choice(PLACE_B)}"


def _make_place(rng: random.Random) -> Place:
    hamlet_kind = rng.choice(("thôn", "thôn", "xóm", "ấp", "bản", "tổ dân phố", "khu phố"))
    if rng.random() < 0.35:
        hamlet = f"{hamlet_kind} {rng.randint(1, 15)}"
    else:
        hamlet = f"{hamlet_kind} {rng.choice(HAMLET_NAMES + PLACE_B)}"
    commune = f"{rng.choice(('xã', 'xã', 'xã', 'phường', 'thị trấn'))} {_place_name(rng)}"
    district = f"{rng.choice(('huyện', 'huyện', 'thị xã', 'quận'))} {_place_name(rng)}"
    project = rng.choice(PROJECTS).format(a=_place_name(rng), b=_place_name(rng), n=rng.randint(1, 60))
    road = rng.choice(
        (
            f"đường liên thôn {hamlet} đi {_place_name(rng)}",
            f"đường ĐH{rng.randint(1, 40)}",
            f"tuyến đường từ {hamlet} đi trung tâm xã",
            f"đường tỉnh {rng.randint(600, 999)}",
            f"đường bê tông tổ {rng.randint(1, 20)}",
        )
    )
    company = f"Công ty {rng.choice(('TNHH', 'cổ phần', 'TNHH MTV'))} {rng.choice(COMPANY_NAMES)}"
    return Place(hamlet, commune, district, rng.choice(PROVINCES), project, road, company)


def _date(rng: random.Random, first: int, last: int) -> tuple[str, ...]:
    y, m, d = rng.randint(first, last), rng.randint(1, 12), rng.randint(1, 28)
    return (f"{d}/{m}/{y}", f"{d:02d}/{m:02d}/{y}", f"{d} tháng {m} năm {y}")


def _amount(rng: random.Random) -> str:
    millions = rng.choice((rng.randint(3, 99), rng.randint(100, 2500)))
    if rng.random() < 0.5:
        return f"{millions}.000.000 đồng"
    return f"{millions} triệu đồng"


def _facts(spec: Spec) -> dict[str, str | tuple[str, ...]]:
    """The values of every {slot}: a tuple lists equivalent renderings the wording chooses from."""
    person = random.Random(spec.person_seed)
    male = person.random() < 0.6
    rng = random.Random(spec.facts_seed)
    neighbour_male = rng.random() < 0.6
    place = spec.place
    facts: dict[str, str | tuple[str, ...]] = {
        "person": _name(person, male),
        "ptitle": "ông" if male else "bà",
        "birth": str(person.randint(1940, 1998)),
        "id_number": f"0{person.randint(1, 96):02d}{person.randint(0, 3)}{person.randint(0, 99_999_999):08d}",
        "phone": f"0{person.choice((3, 7, 8, 9))}{person.randint(0, 99_999_999):08d}",
        "hamlet": place.hamlet,
        "commune": place.commune,
        "district": place.district,
        "province": place.province,
        "project": place.project,
        "road": place.road,
        "company": place.company,
        "ubnd": UBND,
        "neighbour": _name(rng, neighbour_male),
        "ntitle": "ông" if neighbour_male else "bà",
        "official": _name(rng, rng.random() < 0.7),
        "opos": rng.choice(OFFICIAL_POSITIONS),
        "date1": _date(rng, 2016, 2025),
        "date2": _date(rng, 2019, 2025),
        "year": str(rng.randint(1995, 2022)),
        "year2": str(rng.randint(2018, 2025)),
        "old_year": str(rng.randint(1945, 1975)),
        "month": str(rng.randint(1, 12)),
        "plot": str(rng.randint(1, 1500)),
        "sheet": str(rng.randint(1, 90)),
        "area": str(rng.choice((rng.randint(40, 500), rng.randint(500, 5000)))),
        "small_area": str(rng.randint(2, 80)),
        "meters": str(rng.randint(1, 6)),
        "amount": _amount(rng),
        "amount2": _amount(rng),
        "price": f"{rng.randint(60, 4500)}.000",
        "decision": str(rng.randint(100, 9999)),
        "households": str(rng.randint(3, 120)),
        "months": str(rng.randint(2, 36)),
        "times": str(rng.randint(2, 9)),
        "floors": str(rng.randint(2, 7)),
        "distance": str(rng.randint(20, 800)),
        "length": str(rng.randint(200, 6000)),
        "hour": str(rng.choice((23, 24, 1, 2))),
        "age": str(rng.randint(70, 98)),
        "rank": str(rng.randint(1, 4)),
        "percent": str(rng.randint(21, 95)),
        "benefit": rng.choice(BENEFITS),
        "procedure": rng.choice(PROCEDURES),
        "corrupt_area": rng.choice(CORRUPT_AREAS),
        "promise": rng.choice(PROMISES),
        "assets": f"{rng.randint(5, 300)} cây {rng.choice(TREES)}, {rng.randint(10, 200)} m2 chuồng trại và "
        f"{rng.choice(('một giếng khoan', 'một nhà tạm', 'hai bể nước', 'tường rào'))}",
    }
    office_rng = random.Random(spec.facts_seed + 1)
    facts["office"] = office_rng.choice(
        (
            f"{UBND[0]} {place.commune}",
            f"bộ phận một cửa {place.commune}",
            f"Chi nhánh văn phòng đăng ký đất đai {place.district}",
            f"công an {place.commune}",
        )
    )
    facts["polluter"] = office_rng.choice(
        (
            f"trại chăn nuôi lợn của {facts['ntitle']} {facts['neighbour']}",
            place.company,
            f"bãi rác của {place.commune}",
            f"cơ sở sản xuất gạch thủ công của {facts['ntitle']} {facts['neighbour']}",
            f"xưởng chế biến gỗ của {place.company}",
        )
    )
    facts["kind"] = KINDS[spec.structure.kind]
    facts["agency"] = (
        f"{UBND[0]} {place.commune}",
        f"{UBND[1]} {place.commune}",
        f"{UBND[0]} {place.district}",
        "cơ quan có thẩm quyền",
        "các cơ quan chức năng",
    )
    facts["subject"] = TOPICS[spec.structure.topic].subject
    return facts


class _Chooser:
    """Picks among alternatives: the same choice for the same (seed, sentence) unless redrawn."""

    def __init__(self, spec: Spec, sentence_key: str) -> None:
        self.base = random.Random(f"{spec.wording_seed}:{sentence_key}")
        self.again = random.Random(f"{spec.redraw_seed}:{sentence_key}")
        self.redraw = spec.redraw

    def pick(self, options: tuple[str, ...] | list[str]) -> str:
        index = self.base.randrange(len(options))
        if self.redraw and self.again.random() < self.redraw:
            index = self.again.randrange(len(options))
        return options[index]


_ALTERNATIVES = re.compile(r"\[([^\[\]]*)\]")
_SLOT = re.compile(r"\{(\w+)\}")


def _render_sentence(template: str, facts: dict[str, str | tuple[str, ...]], chooser: _Chooser) -> str:
    for _ in range(3):  # a slot's value may hold alternatives or slots of its own (the subject)
        template = _ALTERNATIVES.sub(lambda m: chooser.pick(m.group(1).split("|")), template)

        def fill(match: re.Match[str]) -> str:
            value = facts[match.group(1)]
            return chooser.pick(value) if isinstance(value, tuple) else value

        template = _SLOT.sub(fill, template)
    text = re.sub(r"\s+", " ", template).strip()
    text = text.replace(" ,", ",")
    return text[:1].upper() + text[1:]


def _sentences(spec: Spec) -> list[tuple[str, str]]:
    """(part, sentence) pairs, part being greeting, intro, body, request or closing."""
    s = spec.structure
    topic = TOPICS[s.topic]
    templates: list[tuple[str, str, str]] = []  # (part, key, template)
    if s.greeting is not None:
        templates.append(("greeting", "greeting", GREETINGS[s.greeting]))
    templates.append(("intro", "intro", INTROS[s.intro]))
    templates.extend(("intro", f"identity{i}", IDENTITY[i]) for i in s.identity)
    if s.purpose is not None:
        templates.append(("intro", "purpose", PURPOSES[s.purpose]))
    if s.lead is not None:
        templates.append(("intro", "lead", LEADS[s.lead]))
    templates.extend(("body", f"body{slot}", topic.slots[slot][1][i]) for slot, i in s.body)
    templates.append(("request", "request", topic.requests[s.request]))
    templates.extend(("closing", f"closing{i}", CLOSINGS[i]) for i in s.closings)
    facts = _facts(spec)
    rendered = []
    for part, key, template in templates:
        sentence = _render_sentence(template, facts, _Chooser(spec, key))
        if not sentence.endswith(":"):
            sentence += "."
        rendered.append((part, sentence))
    return rendered


def render(spec: Spec) -> str:
    return _join([sentence for _part, sentence in _sentences(spec)])


def _join(sentences: list[str]) -> str:
    return " ".join(sentences)


def _structure(rng: random.Random, topic_name: str | None = None) -> Structure:
    topic_name = topic_name or rng.choice(sorted(TOPICS))
    topic = TOPICS[topic_name]
    body = tuple(
        (slot, rng.randrange(len(sentences)))
        for slot, (probability, sentences) in enumerate(topic.slots)
        if rng.random() < probability
    )
    identity = tuple(i for i in range(len(IDENTITY)) if rng.random() < 0.25)
    closings = tuple(sorted(rng.sample(range(len(CLOSINGS)), rng.choice((0, 1, 1, 2)))))
    return Structure(
        topic=topic_name,
        kind=rng.choice(topic.kinds),
        greeting=rng.randrange(len(GREETINGS)) if rng.random() < 0.6 else None,
        intro=rng.randrange(len(INTROS)),
        identity=identity,
        purpose=rng.randrange(len(PURPOSES)) if rng.random() < 0.6 else None,
        lead=rng.randrange(len(LEADS)) if rng.random() < 0.5 else None,
        body=body,
        request=rng.randrange(len(topic.requests)),
        closings=closings,
    )


def _specs(n: int, seed: int) -> list[Spec]:
    rng = random.Random(seed)
    places = [_make_place(rng) for _ in range(max(20, n // 12))]
    return [
        Spec(
            place=rng.choice(places),
            person_seed=rng.getrandbits(48),
            facts_seed=rng.getrandbits(48),
            structure=_structure(rng),
            wording_seed=rng.getrandbits(48),
        )
        for _ in range(n)
    ]


def make_contents(n: int, seed: int = 0) -> list[str]:
    """`n` petition contents, the same for the same arguments."""
    return [render(spec) for spec in _specs(n, seed)]


# --- variants ---------------------------------------------------------------------------------------------


def paraphrase(spec: Spec, rng: random.Random) -> Spec:
    """Other wording for the same petition: a share of the word choices and date formats drawn again,
    greeting, opening and closing formulas added or removed."""
    s = spec.structure

    def toggle(value: int | None, count: int) -> int | None:
        if rng.random() < 0.5:
            return None if value is not None else rng.randrange(count)
        return value

    closings = s.closings
    if rng.random() < 0.6:
        closings = tuple(sorted(rng.sample(range(len(CLOSINGS)), rng.choice((0, 1, 2)))))
    structure = replace(
        s,
        greeting=toggle(s.greeting, len(GREETINGS)),
        purpose=toggle(s.purpose, len(PURPOSES)),
        lead=toggle(s.lead, len(LEADS)),
        closings=closings,
    )
    return replace(spec, structure=structure, redraw_seed=rng.getrandbits(48), redraw=rng.uniform(0.3, 0.6))


def strip_diacritics(text: str, lower: bool = False) -> str:
    """What a keyboard without Vietnamese input gives."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    plain = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch)))
    return plain.lower() if lower else plain


_KEYBOARD = _words("qwertyuiop asdfghjkl zxcvbnm")
_TONE_SLIPS = {"a": "áàảãạ", "e": "éèẻẽẹ", "o": "óòỏõọ", "i": "íìỉĩị", "u": "úùủũụ", "y": "ýỳỷỹỵ"}


def _neighbour_key(ch: str, rng: random.Random) -> str:
    base = strip_diacritics(ch).lower()
    for row in _KEYBOARD:
        at = row.find(base)
        if at >= 0:
            options = [row[j] for j in (at - 1, at + 1) if 0 <= j < len(row)]
            return rng.choice(options)
    return rng.choice("aeiou")


def typos(text: str, rng: random.Random, count: int) -> str:
    """`count` slips of the fingers on letters, each in another word of three letters or more."""
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) >= 3 and w.isalpha()]
    for i in rng.sample(candidates, min(count, len(candidates))):
        word = words[i]
        at = rng.randrange(len(word))
        op = rng.choice(("delete", "insert", "substitute", "transpose", "tone"))
        if op == "delete":
            word = word[:at] + word[at + 1 :]
        elif op == "insert":
            word = word[:at] + _neighbour_key(word[at], rng) + word[at:]
        elif op == "substitute":
            word = word[:at] + _neighbour_key(word[at], rng) + word[at + 1 :]
        elif op == "transpose" and at + 1 < len(word):
            word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
        else:  # a wrong or lost tone mark (also for a transposition at the last letter)
            base = strip_diacritics(word[at]).lower()
            word = word[:at] + rng.choice(_TONE_SLIPS.get(base, base)) + word[at + 1 :]
        words[i] = word
    return " ".join(words)


def reorder(sentences: list[tuple[str, str]], rng: random.Random) -> list[str]:
    """Body sentences shuffled, the request sometimes first, the clauses of a sentence sometimes swapped."""
    head = [s for part, s in sentences if part in ("greeting", "intro")]
    body = [s for part, s in sentences if part == "body"]
    request = [s for part, s in sentences if part == "request"]
    tail = [s for part, s in sentences if part == "closing"]
    rng.shuffle(body)
    middle = request + body if rng.random() < 0.4 else body + request
    out = head + middle + tail
    with_clauses = [i for i, s in enumerate(out) if s.count(", ") >= 1]
    for i in rng.sample(with_clauses, min(len(with_clauses), rng.choice((1, 2)))):
        sentence = out[i].rstrip(".")
        clauses = (sentence[:1].lower() + sentence[1:]).split(", ")
        rng.shuffle(clauses)
        clause = ", ".join(clauses)
        out[i] = clause[:1].upper() + clause[1:] + "."
    if len(head) > 2 and rng.random() < 0.5:  # the identity and purpose lines, in another order
        rest = head[1:]
        rng.shuffle(rest)
        out[1 : len(head)] = rest
    return out


VARIANTS = ("paraphrase", "no_diacritics", "typos", "reordered", "mixed")


def variant(spec: Spec, how: str, rng: random.Random) -> str:
    """A duplicate of the petition `spec` renders, made in the way `how` names."""
    if how == "paraphrase":
        return render(paraphrase(spec, rng))
    if how == "no_diacritics":
        return strip_diacritics(render(spec), lower=rng.random() < 0.3)
    if how == "typos":
        return typos(render(spec), rng, rng.randint(1, 3))
    if how == "reordered":
        return _join(reorder(_sentences(spec), rng))
    spec = paraphrase(spec, rng)
    text = _join(reorder(_sentences(spec), rng)) if rng.random() < 0.6 else render(spec)
    if rng.random() < 0.5:
        text = strip_diacritics(text, lower=rng.random() < 0.3)
    return typos(text, rng, rng.randint(1, 2))


NEGATIVES = ("same_topic", "same_wording", "same_person")


def hard_negative(spec: Spec, how: str, rng: random.Random) -> str:
    """A different petition from the same place as `spec`."""
    if how == "same_topic":  # other facts, other sentences
        other = Spec(
            place=spec.place,
            person_seed=rng.getrandbits(48),
            facts_seed=rng.getrandbits(48),
            structure=_structure(rng, spec.structure.topic),
            wording_seed=rng.getrandbits(48),
        )
    elif how == "same_wording":  # a neighbour's copy of the petition, about their own plot, dates, company…
        elsewhere = _make_place(rng)
        other = replace(
            spec,
            place=replace(
                spec.place, project=elsewhere.project, road=elsewhere.road, company=elsewhere.company
            ),
            person_seed=rng.getrandbits(48),
            facts_seed=rng.getrandbits(48),
            redraw_seed=rng.getrandbits(48),
            redraw=0.2,
        )
    else:  # the same citizen about something else
        topic = rng.choice([t for t in sorted(TOPICS) if t != spec.structure.topic])
        other = replace(
            spec,
            facts_seed=rng.getrandbits(48),
            structure=_structure(rng, topic),
            wording_seed=rng.getrandbits(48),
        )
    return render(other)


def labelled_set(
    n_originals: int, seed: int = 0, n_queries: int | None = None, negative_share: float = 1 / 3
) -> tuple[list[str], list[tuple[str, int | None, str]]]:
    """Like `labelled_pairs`, each query also naming how it was made (a VARIANTS or NEGATIVES item)."""
    specs = _specs(n_originals, seed)
    originals = [render(spec) for spec in specs]
    if n_queries is None:
        n_queries = min(n_originals, 5000)
    rng = random.Random(f"queries:{seed}")
    targets = rng.sample(range(n_originals), n_queries) if n_queries <= n_originals else None
    queries: list[tuple[str, int | None, str]] = []
    for q in range(n_queries):
        index = targets[q] if targets is not None else rng.randrange(n_originals)
        if rng.random() < negative_share:
            how = NEGATIVES[q % len(NEGATIVES)]
            queries.append((hard_negative(specs[index], how, rng), None, how))
        else:
            how = VARIANTS[q % len(VARIANTS)]
            queries.append((variant(specs[index], how, rng), index, how))
    return originals, queries


def labelled_pairs(
    n_originals: int, seed: int = 0, n_queries: int | None = None, negative_share: float = 1 / 3
) -> tuple[list[str], list[tuple[str, int | None]]]:
    """`n_originals` petitions and `n_queries` (by default one per original, at most 5,000) labelled
    queries: (text, index of the original it duplicates) or (text, None) for a hard negative. About a
    third are hard negatives; the duplicates are spread evenly over the kinds of VARIANTS."""
    originals, queries = labelled_set(n_originals, seed, n_queries, negative_share)
    return originals, [(text, label) for text, label, _how in queries]


if __name__ == "__main__":
    for text in make_contents(3, seed=1):
        print(text, end="\n\n")
    originals, queries = labelled_pairs(6, seed=1, n_queries=6)
    for text, label in queries:
        print(label, "→", text, end="\n\n")
