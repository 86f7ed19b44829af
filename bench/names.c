/* names.c - the data behind names.h: a team selling building materials in Russia, Turkey and
 * Vietnam, with the names and phrases its reps would write. */
#include "names.h"

const enum market rep_market[REP_PATTERN] = {RU, RU, RU, RU, RU, TR, TR, TR, VN, VN};
static const char *const rep_names[REP_PATTERN] = {
    "Анна Кузнецова", "Олег Петров",   "Дмитрий Соколов", "Мария Волкова", "Игорь Лебедев",
    "Ayşe Yılmaz",    "Mehmet Öztürk", "Zeynep Arslan",	  "Nguyễn Thu Hà", "Trần Minh Quân"};
const char *const zones[NMARKETS] = {"Europe/Moscow", "Europe/Istanbul", "Asia/Ho_Chi_Minh"};
const char *const locales[NMARKETS] = {"ru", "tr", "vi"};

const struct seg_def segments[NSEGS] = {
    /* every 14-28 days: with ~2 400 clients a rep (1 M clients, 400 reps), each weekday then
     * holds about the 100 steps of his calls a workday (CALLS_PER_REP) */
    {{0, "Частные клиенты", 14, 28}, {20, 150}},
    {{0, "Малый бизнес", 14, 30}, {50, 400}},
    {{0, "Корпоративные", 30, 60}, {300, 2500}},
    {{0, "Дилеры", 30, 90}, {500, 5000}},
};

const struct src_def sources[NSRCS] = {
    {"Яндекс.Директ", 400000}, {"Google Ads", 250000}, {"Avito", 120000},
    {"Сайт", 60000},	       {"Рекомендации", 0},    {"Выставки", 300000},
};

static const struct names ru_names = {
    .male = {"Александр", "Дмитрий", "Сергей", "Андрей", "Алексей", "Максим", "Иван", "Михаил",
	     "Николай", "Павел", "Артём", "Евгений"},
    .female = {"Анна", "Мария", "Елена", "Ольга", "Наталья", "Татьяна", "Ирина", "Светлана", "Юлия",
	       "Дарья", "Екатерина", "Ксения"},
    .surname = {"Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов",
		"Новиков", "Фёдоров", "Морозов", "Волков", "Семёнов"},
    .firm_fmt = "ООО «%s %s»",
    .firm_a = {"Гранд", "Северный", "Новый", "Эталон", "Монолит", "Вектор", "Альфа", "Восток",
	       "Уральский", "Столичный", "Прайм", "Континент"},
    .firm_b = {"Строй", "Трейд", "Логистик", "Сервис", "Групп", "Инвест", "Маркет", "Техно",
	       "Холдинг", "Снаб", "Дом", "Проект"},
};

static const struct names tr_names = {
    .male = {"Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "Hasan", "İbrahim", "İsmail", "Murat",
	     "Emre", "Burak", "Oğuz"},
    .female = {"Ayşe", "Fatma", "Emine", "Hatice", "Zeynep", "Elif", "Merve", "Şule", "Özlem",
	       "Gül", "Büşra", "İrem"},
    .surname = {"Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk",
		"Aydın", "Özdemir", "Arslan", "Doğan"},
    .firm_fmt = "%s %s Ltd. Şti.",
    .firm_a = {"Yıldız", "Anadolu", "Ege", "Marmara", "Kuzey", "Deniz", "Güneş", "Toros", "Başkent",
	       "Karadeniz", "Akdeniz", "Doğu"},
    .firm_b = {"İnşaat", "Ticaret", "Lojistik", "Yapı", "Gıda", "Tekstil", "Otomotiv", "Enerji",
	       "Mimarlık", "Mobilya", "Dekorasyon", "Pazarlama"},
};

/* Vietnamese people's names come from vn_* below; only the companies are here. */
static const struct names vn_names = {
    .firm_fmt = "Công ty TNHH %s %s",
    .firm_a = {"Minh", "Phú", "Hưng", "Thành", "An", "Việt", "Đại", "Tân", "Hoàng", "Bảo",
	       "Sài Gòn", "Hà Nội"},
    .firm_b = {"Phát", "Thịnh", "Long", "Phong", "Lộc", "Hòa", "Nam", "Tiến", "Xây Dựng",
	       "Thương Mại", "Vật Liệu", "Kiến Trúc"},
};

const struct names *const names[NMARKETS] = {&ru_names, &tr_names, &vn_names};

const char *const vn_family[NNAMES] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh",
				       "Phan",	 "Vũ",	 "Võ", "Đặng", "Bùi",	"Đỗ"};
const char *const vn_middle[NNAMES] = {"Văn",  "Minh", "Đức",	"Quốc", "Thanh", "Hữu",
				       "Công", "Tuấn", "Hoàng", "Ngọc", "Xuân",	 "Gia"};
const char *const vn_male[NNAMES] = {"An",    "Bình", "Cường", "Dũng", "Hải",  "Hùng",
				     "Khánh", "Long", "Nam",   "Phúc", "Quân", "Tuấn"};
const char *const vn_female[NNAMES] = {"Anh", "Chi",  "Hà",  "Hạnh", "Hoa",  "Hương",
				       "Lan", "Linh", "Mai", "Ngọc", "Thảo", "Trang"};

static const struct texts ru_texts = {
    .purposes = {"Договориться о встрече на объекте", "Согласовать смету и сроки поставки",
		 "Обсудить коммерческое предложение", "Уточнить объём следующей партии",
		 "Выставить счёт и согласовать отгрузку", "Узнать решение по договору"},
    .refusals = {"дорого, сравнивает с конкурентами", "стройку отложили до весны",
		 "бюджет на квартал исчерпан", "работают с другим поставщиком по договору",
		 "ждут одобрения кредита", "заказчик заморозил проект"},
    .notes = {"взять образцы", "позвонить прорабу, не директору", "уточнить НДС",
	      "скидка 5% при предоплате", "привезти каталог", "спросить про склад"},
    .goal_max = "договор и дата поставки",
    .goal_min = "встреча на объекте в конкретное время",
    .closed = "компания ликвидирована",
    .gone = "переехал в другой город",
    .cancel = "клиент попросил перезвонить позже, дату не назвал",
};

static const struct texts tr_texts = {
    .purposes = {"Şantiyede görüşme ayarlamak", "Teklifi ve teslim tarihini konuşmak",
		 "Ticari teklifi görüşmek", "Sonraki siparişin miktarını sormak",
		 "Fatura kesip sevkiyatı planlamak", "Sözleşme kararını öğrenmek"},
    .refusals = {"fiyat yüksek, rakiplerle karşılaştırıyor", "inşaat bahara ertelendi",
		 "çeyrek bütçesi bitti", "başka tedarikçiyle sözleşmesi var",
		 "kredi onayı bekleniyor", "proje donduruldu"},
    .notes = {"numune götür", "şantiye şefini ara", "KDV'yi sor", "peşin ödemede %5 indirim",
	      "katalog götür", "depo durumunu sor"},
    .goal_max = "sözleşme ve teslim tarihi",
    .goal_min = "belirli bir saatte şantiyede görüşme",
    .closed = "şirket kapandı",
    .gone = "başka şehre taşındı",
    .cancel = "müşteri daha sonra aranmak istedi, tarih vermedi",
};

static const struct texts vn_texts = {
    .purposes = {"Hẹn gặp tại công trình", "Thống nhất báo giá và thời gian giao hàng",
		 "Trao đổi về báo giá", "Hỏi khối lượng lô hàng tiếp theo",
		 "Xuất hóa đơn và lên lịch giao hàng", "Hỏi quyết định về hợp đồng"},
    .refusals = {"giá cao, đang so sánh với đối thủ", "công trình hoãn đến mùa xuân",
		 "hết ngân sách quý", "đã có hợp đồng với nhà cung cấp khác", "đang chờ duyệt vay",
		 "dự án bị tạm dừng"},
    .notes = {"mang mẫu", "gọi cho chỉ huy công trình", "hỏi về VAT", "giảm 5% nếu trả trước",
	      "mang catalogue", "hỏi về kho"},
    .goal_max = "hợp đồng và ngày giao hàng",
    .goal_min = "hẹn gặp tại công trình vào giờ cụ thể",
    .closed = "công ty đã giải thể",
    .gone = "đã chuyển đến thành phố khác",
    .cancel = "khách hẹn gọi lại sau, chưa cho ngày",
};

const struct texts *const texts[NMARKETS] = {&ru_texts, &tr_texts, &vn_texts};

/* The other reps' surnames: none of the fixed reps' or the head's (Смирнова), so that no name
 * drawn from them is one of theirs; Russian ones take -а for women. */
#define NREP_SURNAMES 24
static const char *const rep_surnames[2][NREP_SURNAMES] = {
    {"Андреев",	  "Беляев",  "Богданов", "Виноградов", "Воробьёв", "Гончаров",
     "Григорьев", "Давыдов", "Егоров",	 "Жуков",      "Зайцев",   "Ильин",
     "Калинин",	  "Киселев", "Козлов",	 "Комаров",    "Макаров",  "Медведев",
     "Никитин",	  "Орлов",   "Павлов",	 "Романов",    "Степанов", "Тарасов"},
    {"Kaya",   "Demir", "Şahin",   "Çelik",   "Yıldız",	 "Yıldırım", "Aydın", "Özdemir",
     "Doğan",  "Kılıç", "Aslan",   "Çetin",   "Kara",	 "Koç",	     "Kurt",  "Özkan",
     "Şimşek", "Polat", "Korkmaz", "Karataş", "Erdoğan", "Güneş",    "Aksoy", "Tekin"},
};

/* Rep k >= REP_PATTERN is the q-th rep of his market beyond the fixed ones; q picks a name
 * one to one: women and men in turn, then the first (given) name, then the surname (family
 * and middle name in Vietnam, whose families leave out the fixed reps' Nguyễn and Trần). */
const char *rep_name(struct arena *a, int k)
{
	if (k < 0)
		return NULL;
	if (k < REP_PATTERN)
		return rep_names[k];
	enum market m = rep_market[k % REP_PATTERN];
	int per = 0, pos = 0; /* his market's reps in each round of REP_PATTERN, and his place */
	for (int j = 0; j < REP_PATTERN; j++)
		if (rep_market[j] == m) {
			pos += j < k % REP_PATTERN;
			per++;
		}
	int q = (k / REP_PATTERN - 1) * per + pos;
	bool female = q % 2 == 0;
	int i = q / 2;
	if (m == VN) {
		int fam = 2 + i % (NNAMES - 2), rest = i / (NNAMES - 2);
		if (female)
			return rest < NNAMES
				   ? arena_printf(a, "%s Thị %s", vn_family[fam], vn_female[rest])
				   : NULL;
		return rest < NNAMES * NNAMES
			   ? arena_printf(a, "%s %s %s", vn_family[fam], vn_middle[rest % NNAMES],
					  vn_male[rest / NNAMES])
			   : NULL;
	}
	int first = i % NNAMES, round = i / NNAMES;
	if (round >= NREP_SURNAMES)
		return NULL;
	/* the surname shifts with the first name and the sex, so that neighbours do not share
	 * one */
	const char *surname = rep_surnames[m][(round + 7 * first + 12 * female) % NREP_SURNAMES];
	const struct names *n = names[m];
	return arena_printf(a, "%s %s%s", female ? n->female[first] : n->male[first], surname,
			    female && m == RU ? "а" : "");
}
