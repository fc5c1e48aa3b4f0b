/* app/dc-demo-people.c — synthetic people for the demo store: names with readings, real towns, plausible documents. */
#include "dc-demo-people.h"
#include "dc-date.h"

#include <string.h>

/* ---- pools: every name has its reading, every town is real ---- */

typedef struct {
  const char *text;
  const char *kana;
} Reading;

static const Reading surnames[] = {
  { "佐藤", "サトウ" }, { "鈴木", "スズキ" }, { "高橋", "タカハシ" }, { "田中", "タナカ" }, { "伊藤", "イトウ" },
  { "渡辺", "ワタナベ" }, { "山本", "ヤマモト" }, { "中村", "ナカムラ" }, { "小林", "コバヤシ" }, { "加藤", "カトウ" },
  { "吉田", "ヨシダ" }, { "山田", "ヤマダ" }, { "佐々木", "ササキ" }, { "山口", "ヤマグチ" }, { "松本", "マツモト" },
  { "井上", "イノウエ" }, { "木村", "キムラ" }, { "林", "ハヤシ" }, { "清水", "シミズ" }, { "山崎", "ヤマザキ" },
  { "森", "モリ" }, { "池田", "イケダ" }, { "橋本", "ハシモト" }, { "阿部", "アベ" }, { "石川", "イシカワ" },
  { "山下", "ヤマシタ" }, { "中島", "ナカジマ" }, { "石井", "イシイ" }, { "小川", "オガワ" }, { "前田", "マエダ" },
  { "岡田", "オカダ" }, { "長谷川", "ハセガワ" }, { "藤田", "フジタ" }, { "後藤", "ゴトウ" }, { "近藤", "コンドウ" },
  { "村上", "ムラカミ" }, { "遠藤", "エンドウ" }, { "青木", "アオキ" }, { "坂本", "サカモト" }, { "斉藤", "サイトウ" },
  { "福田", "フクダ" }, { "太田", "オオタ" }, { "西村", "ニシムラ" }, { "藤井", "フジイ" }, { "金子", "カネコ" },
  { "岡本", "オカモト" }, { "藤原", "フジワラ" }, { "中野", "ナカノ" }, { "三浦", "ミウラ" }, { "原田", "ハラダ" },
  { "中川", "ナカガワ" }, { "松田", "マツダ" }, { "竹内", "タケウチ" }, { "小野", "オノ" }, { "田村", "タムラ" },
  { "中山", "ナカヤマ" }, { "和田", "ワダ" }, { "石田", "イシダ" }, { "森田", "モリタ" }, { "上田", "ウエダ" },
  { "原", "ハラ" }, { "内田", "ウチダ" }, { "柴田", "シバタ" }, { "酒井", "サカイ" }, { "宮崎", "ミヤザキ" },
  { "横山", "ヨコヤマ" }, { "高木", "タカギ" }, { "安藤", "アンドウ" }, { "宮本", "ミヤモト" }, { "大野", "オオノ" },
  { "小島", "コジマ" }, { "工藤", "クドウ" }, { "谷口", "タニグチ" }, { "今井", "イマイ" }, { "高田", "タカダ" },
  { "丸山", "マルヤマ" }, { "増田", "マスダ" }, { "杉山", "スギヤマ" }, { "村田", "ムラタ" }, { "大塚", "オオツカ" },
  { "小山", "コヤマ" }, { "藤本", "フジモト" }, { "平野", "ヒラノ" }, { "新井", "アライ" }, { "河野", "コウノ" },
  { "上野", "ウエノ" }, { "武田", "タケダ" }, { "野口", "ノグチ" }, { "松井", "マツイ" }, { "千葉", "チバ" },
  { "岩崎", "イワサキ" }, { "菅原", "スガワラ" }, { "木下", "キノシタ" }, { "久保", "クボ" }, { "佐野", "サノ" },
  { "野村", "ノムラ" }, { "松尾", "マツオ" }, { "菊地", "キクチ" }, { "杉本", "スギモト" }, { "市川", "イチカワ" },
  { "古川", "フルカワ" }, { "大西", "オオニシ" }, { "島田", "シマダ" }, { "水野", "ミズノ" }, { "桜井", "サクライ" },
  { "高野", "タカノ" }, { "吉川", "ヨシカワ" }, { "山内", "ヤマウチ" }, { "西田", "ニシダ" }, { "服部", "ハットリ" },
};

/* Given names run from old-fashioned to modern, so a name can fit its owner's year of birth. */
static const Reading male_names[] = {
  { "茂", "シゲル" }, { "博", "ヒロシ" }, { "隆", "タカシ" }, { "修", "オサム" }, { "勝", "マサル" },
  { "清", "キヨシ" }, { "正樹", "マサキ" }, { "秀樹", "ヒデキ" }, { "一郎", "イチロウ" }, { "浩二", "コウジ" },
  { "誠", "マコト" }, { "剛", "ツヨシ" }, { "健一", "ケンイチ" }, { "雄一", "ユウイチ" }, { "哲也", "テツヤ" },
  { "直樹", "ナオキ" }, { "和也", "カズヤ" }, { "達也", "タツヤ" }, { "大輔", "ダイスケ" }, { "洋平", "ヨウヘイ" },
  { "慎吾", "シンゴ" }, { "智也", "トモヤ" }, { "拓也", "タクヤ" }, { "健太", "ケンタ" }, { "康介", "コウスケ" },
  { "亮", "リョウ" }, { "涼介", "リョウスケ" }, { "翔太", "ショウタ" }, { "裕太", "ユウタ" }, { "勇気", "ユウキ" },
  { "圭", "ケイ" }, { "航", "ワタル" }, { "駿", "シュン" }, { "翔", "ショウ" }, { "匠", "タクミ" },
  { "大地", "ダイチ" }, { "隼人", "ハヤト" }, { "海斗", "カイト" }, { "優斗", "ユウト" }, { "大和", "ヤマト" },
  { "樹", "イツキ" }, { "陸", "リク" }, { "颯太", "ソウタ" }, { "悠真", "ユウマ" }, { "大翔", "ヒロト" },
  { "湊", "ミナト" }, { "陽翔", "ハルト" }, { "蓮", "レン" }, { "蒼", "アオイ" }, { "律", "リツ" },
};

static const Reading female_names[] = {
  { "幸子", "サチコ" }, { "洋子", "ヨウコ" }, { "恵子", "ケイコ" }, { "久美子", "クミコ" }, { "明美", "アケミ" },
  { "裕子", "ユウコ" }, { "真由美", "マユミ" }, { "直美", "ナオミ" }, { "智子", "トモコ" }, { "由美", "ユミ" },
  { "恵", "メグミ" }, { "香織", "カオリ" }, { "優子", "ユウコ" }, { "沙織", "サオリ" }, { "瞳", "ヒトミ" },
  { "愛", "アイ" }, { "麻衣", "マイ" }, { "美穂", "ミホ" }, { "彩", "アヤ" }, { "舞", "マイ" },
  { "千尋", "チヒロ" }, { "理沙", "リサ" }, { "亜美", "アミ" }, { "綾乃", "アヤノ" }, { "詩織", "シオリ" },
  { "美咲", "ミサキ" }, { "彩花", "アヤカ" }, { "千夏", "チナツ" }, { "里奈", "リナ" }, { "遥", "ハルカ" },
  { "七海", "ナナミ" }, { "真央", "マオ" }, { "萌", "モエ" }, { "桃子", "モモコ" }, { "未来", "ミライ" },
  { "奈々", "ナナ" }, { "さくら", "サクラ" }, { "美月", "ミツキ" }, { "楓", "カエデ" }, { "花", "ハナ" },
  { "結衣", "ユイ" }, { "莉子", "リコ" }, { "凛", "リン" }, { "結菜", "ユイナ" }, { "芽依", "メイ" },
  { "杏", "アン" }, { "葵", "アオイ" }, { "陽菜", "ヒナ" }, { "紬", "ツムギ" }, { "澪", "ミオ" },
};

/* Real towns; every one of them has at least three chōme. */
typedef struct {
  const char *city;
  const char *towns[5];
} Area;

static const Area areas[] = {
  { "東京都千代田区", { "神田神保町", "麹町", "飯田橋", "九段南", "神田小川町" } },
  { "東京都中央区", { "銀座", "日本橋人形町", "月島", "八丁堀", "築地" } },
  { "東京都港区", { "六本木", "芝浦", "赤坂", "高輪", "三田" } },
  { "東京都新宿区", { "西新宿", "高田馬場", "大久保", "神楽坂", "四谷" } },
  { "東京都文京区", { "本郷", "小石川", "千駄木", "湯島", "白山" } },
  { "東京都台東区", { "浅草", "上野", "谷中", "蔵前", "元浅草" } },
  { "東京都墨田区", { "押上", "錦糸", "向島", "両国", "業平" } },
  { "東京都江東区", { "豊洲", "亀戸", "大島", "東陽", "北砂" } },
  { "東京都品川区", { "大井", "西五反田", "戸越", "荏原", "東品川" } },
  { "東京都目黒区", { "自由が丘", "中目黒", "目黒本町", "碑文谷", "八雲" } },
  { "東京都大田区", { "蒲田", "大森北", "田園調布", "池上", "羽田" } },
  { "東京都世田谷区", { "太子堂", "経堂", "北沢", "用賀", "成城" } },
  { "東京都渋谷区", { "神宮前", "恵比寿", "代々木", "笹塚", "本町" } },
  { "東京都中野区", { "中野", "東中野", "野方", "鷺宮", "中央" } },
  { "東京都杉並区", { "高円寺南", "阿佐谷北", "荻窪", "西荻北", "和田" } },
  { "東京都豊島区", { "池袋", "東池袋", "南大塚", "巣鴨", "目白" } },
  { "東京都北区", { "赤羽", "王子", "十条仲原", "滝野川", "田端" } },
  { "東京都荒川区", { "西日暮里", "南千住", "町屋", "東尾久", "荒川" } },
  { "東京都板橋区", { "板橋", "成増", "高島平", "常盤台", "蓮根" } },
  { "東京都練馬区", { "練馬", "石神井町", "大泉学園町", "光が丘", "豊玉北" } },
  { "東京都足立区", { "千住", "綾瀬", "西新井", "竹の塚", "梅島" } },
  { "東京都葛飾区", { "亀有", "金町", "立石", "新小岩", "柴又" } },
  { "東京都江戸川区", { "南小岩", "西葛西", "船堀", "一之江", "平井" } },
  { "東京都武蔵野市", { "吉祥寺本町", "吉祥寺南町", "中町", "西久保", "境" } },
  { "東京都三鷹市", { "下連雀", "上連雀", "井の頭", "深大寺", "牟礼" } },
  { "東京都調布市", { "布田", "国領町", "仙川町", "多摩川", "深大寺北町" } },
  { "東京都町田市", { "原町田", "中町", "森野", "玉川学園", "鶴川" } },
  { "神奈川県川崎市中原区", { "新丸子町", "木月", "井田", "上小田中", "下小田中" } },
  { "埼玉県さいたま市浦和区", { "高砂", "岸町", "常盤", "仲町", "北浦和" } },
};

static const char *const buildings[] = {
  "コーポ", "ハイツ", "メゾン", "レジデンス", "パレス", "グランドール", "サンハイム", "ヴィラ",
};

/* Foreign residents (residence card, name in Latin letters with a katakana reading) and
 * visitors without an address in Japan (passport). */
typedef struct {
  const char *nationality;
  Reading     family[5];
  Reading     given[6];
} Nation;

static const Nation residents[] = {
  { "ベトナム", { { "NGUYEN", "グエン" }, { "TRAN", "チャン" }, { "LE", "レ" }, { "PHAM", "ファム" }, { "HOANG", "ホアン" } },
    { { "VAN NAM", "ヴァン ナム" }, { "THI MAI", "ティ マイ" }, { "DUC ANH", "ドゥック アイン" },
      { "THI LAN", "ティ ラン" }, { "MINH TUAN", "ミン トゥアン" }, { "THI HOA", "ティ ホア" } } },
  { "中国", { { "WANG", "ワン" }, { "LI", "リー" }, { "ZHANG", "チャン" }, { "LIU", "リウ" }, { "CHEN", "チェン" } },
    { { "WEI", "ウェイ" }, { "FANG", "ファン" }, { "JING", "ジン" }, { "HAO", "ハオ" }, { "XIN", "シン" },
      { "YANG", "ヤン" } } },
  { "ネパール", { { "GURUNG", "グルン" }, { "TAMANG", "タマン" }, { "RAI", "ライ" }, { "SHRESTHA", "シュレスタ" },
                  { "MAGAR", "マガル" } },
    { { "RAJ", "ラジ" }, { "SITA", "シタ" }, { "BIKASH", "ビカス" }, { "ANITA", "アニタ" }, { "SURESH", "スレス" },
      { "PRAKASH", "プラカシ" } } },
  { "韓国", { { "KIM", "キム" }, { "LEE", "イ" }, { "PARK", "パク" }, { "CHOI", "チェ" }, { "JUNG", "チョン" } },
    { { "MINJUN", "ミンジュン" }, { "JIYEON", "ジヨン" }, { "SEOYEON", "ソヨン" }, { "HYUNWOO", "ヒョヌ" },
      { "SUBIN", "スビン" }, { "DONGHYUN", "ドンヒョン" } } },
  { "フィリピン", { { "SANTOS", "サントス" }, { "REYES", "レイエス" }, { "CRUZ", "クルス" }, { "GARCIA", "ガルシア" },
                    { "MENDOZA", "メンドーサ" } },
    { { "MARIA", "マリア" }, { "JOSE", "ホセ" }, { "ANGELICA", "アンジェリカ" }, { "MARK", "マーク" },
      { "JOHN PAUL", "ジョン ポール" }, { "KRISTINE", "クリスティン" } } },
};

static const Nation visitors[] = {
  { "アメリカ合衆国", { { "SMITH" }, { "JOHNSON" }, { "WILLIAMS" }, { "BROWN" }, { "MILLER" } },
    { { "JAMES" }, { "EMILY" }, { "MICHAEL" }, { "SARAH" }, { "DAVID" }, { "JESSICA" } } },
  { "英国", { { "TAYLOR" }, { "WILSON" }, { "EVANS" }, { "THOMAS" }, { "ROBERTS" } },
    { { "OLIVER" }, { "AMELIA" }, { "HARRY" }, { "SOPHIE" }, { "JACK" }, { "CHLOE" } } },
  { "フランス", { { "MARTIN" }, { "BERNARD" }, { "DUBOIS" }, { "MOREAU" }, { "LAURENT" } },
    { { "LUCAS" }, { "CAMILLE" }, { "HUGO" }, { "LEA" }, { "LOUIS" }, { "MANON" } } },
  { "ドイツ", { { "MUELLER" }, { "SCHMIDT" }, { "SCHNEIDER" }, { "FISCHER" }, { "WEBER" } },
    { { "LUKAS" }, { "ANNA" }, { "FELIX" }, { "LENA" }, { "JONAS" }, { "MIA" } } },
  { "台湾", { { "LIN" }, { "HUANG" }, { "CHANG" }, { "TSAI" }, { "HSU" } },
    { { "YU-TING" }, { "CHIA-HAO" }, { "YI-CHEN" }, { "CHUN-HUNG" }, { "HSIN-YI" }, { "WEI-LUN" } } },
};

static const char *const doc_codes[] = {
  "drivers_license", "my_number_card", "passport", "residence_card", "student_id", "resident_record_copy",
  "driving_history_cert",
};

static const char *const supplementary_codes[] = {
  "utility_bill", "tax_receipt", "social_insurance_receipt", "tax_certificate",
};

/* What a person is drawn from: the run's random numbers and the simulated day. */
typedef struct {
  GRand       *rand;
  const GDate *today;
} Draw;

static double
uniform (const Draw *draw)
{
  return g_rand_double (draw->rand);
}

static guint
below (const Draw *draw, guint n)
{
  return (guint) g_rand_int_range (draw->rand, 0, (gint32) n);
}

static guint32
julian_of (const GDate *date)
{
  return g_date_get_julian (date);
}

static void
date_of (guint32 julian, GDate *out)
{
  g_date_clear (out, 1);
  g_date_set_julian (out, julian);
}

guint
dc_demo_person_age_on (const DcDemoPerson *p, const GDate *day)
{
  GDate dob;

  date_of (p->dob, &dob);
  return dc_date_age_on (&dob, day);
}

void
dc_demo_person_full_name (const DcDemoPerson *p, char *buf, gsize size, char *kana, gsize kana_size)
{
  const Reading *family, *given;

  switch ((DcDemoKind) p->kind)
    {
    case DC_DEMO_KIND_JAPANESE:
      family = &surnames[p->family];
      given = p->female ? &female_names[p->given] : &male_names[p->given];
      break;
    case DC_DEMO_KIND_RESIDENT:
      family = &residents[p->nation].family[p->family];
      given = &residents[p->nation].given[p->given];
      break;
    case DC_DEMO_KIND_VISITOR:
    default:
      family = &visitors[p->nation].family[p->family];
      given = &visitors[p->nation].given[p->given];
      break;
    }
  g_snprintf (buf, size, "%s %s", family->text, given->text);
  if (kana != NULL)
    {
      if (family->kana != NULL)
        g_snprintf (kana, kana_size, "%s %s", family->kana, given->kana);
      else
        kana[0] = '\0';
    }
}

/* A date of birth for someone @age years old on @today. */
static guint32
birth_for_age (const Draw *draw, guint age)
{
  GDate dob = *draw->today;

  g_date_subtract_years (&dob, age + 1);
  g_date_add_days (&dob, 1 + below (draw, 365));
  return julian_of (&dob);
}

/* Adults mostly in their twenties and thirties, a tail up to seventy. */
static guint
adult_age (const Draw *draw)
{
  double u = uniform (draw);

  if (u < 0.55)
    return 18 + below (draw, 17);
  if (u < 0.85)
    return 35 + below (draw, 15);
  return 50 + below (draw, 21);
}

static guint16
given_for_year (const Draw *draw, guint n, guint year)
{
  /* centre on the generation, with a wide spread either way */
  double centre = ((double) year - 1955.0) / 60.0 * n;
  double pos = centre + (uniform (draw) + uniform (draw) - 1.0) * n / 2.5;

  return (guint16) CLAMP ((gint) pos, 0, (gint) n - 1);
}

/* The document's date, judged on @today: an expiry in the future, or an issue date
 * within the last months for a resident record. */
static void
fresh_doc_date (const Draw *draw, DcDemoPerson *p)
{
  GDate d = *draw->today, dob;

  date_of (p->dob, &dob);
  switch ((DcDemoDoc) p->doc)
    {
    case DC_DEMO_DOC_LICENSE:
    case DC_DEMO_DOC_MY_NUMBER:
      /* both expire around a birthday (a licence a month after it) */
      g_date_set_dmy (&d, g_date_get_day (&dob) > 28 ? 28 : g_date_get_day (&dob), g_date_get_month (&dob),
                      g_date_get_year (draw->today) + 1 + below (draw, p->doc == DC_DEMO_DOC_LICENSE ? 5 : 9));
      if (p->doc == DC_DEMO_DOC_LICENSE)
        g_date_add_months (&d, 1);
      break;
    case DC_DEMO_DOC_PASSPORT:
    case DC_DEMO_DOC_RESIDENCE:
      g_date_add_days (&d, 30 + below (draw, p->doc == DC_DEMO_DOC_PASSPORT ? 3600 : 1800));
      break;
    case DC_DEMO_DOC_STUDENT:
      g_date_set_dmy (&d, 31, G_DATE_MARCH, g_date_get_year (draw->today) + 1 + below (draw, 3));
      break;
    case DC_DEMO_DOC_RESIDENT_RECORD:
      g_date_subtract_days (&d, below (draw, 120));
      break;
    case DC_DEMO_DOC_DRIVING_HISTORY:
    default:
      p->doc_date = 0;
      return;
    }
  p->doc_date = julian_of (&d);
}

static DcDemoDoc
choose_document (const Draw *draw, guint age)
{
  double u = uniform (draw);

  if (age < 18)
    return u < 0.55 ? DC_DEMO_DOC_STUDENT : u < 0.85 ? DC_DEMO_DOC_MY_NUMBER : u < 0.95 ? DC_DEMO_DOC_RESIDENT_RECORD : DC_DEMO_DOC_PASSPORT;
  if (age < 23)
    return u < 0.30 ? DC_DEMO_DOC_STUDENT : u < 0.60 ? DC_DEMO_DOC_LICENSE : u < 0.90 ? DC_DEMO_DOC_MY_NUMBER
           : u < 0.95 ? DC_DEMO_DOC_RESIDENT_RECORD : DC_DEMO_DOC_PASSPORT;
  if (age < 65)
    return u < 0.50 ? DC_DEMO_DOC_LICENSE : u < 0.83 ? DC_DEMO_DOC_MY_NUMBER : u < 0.90 ? DC_DEMO_DOC_PASSPORT : DC_DEMO_DOC_RESIDENT_RECORD;
  return u < 0.35 ? DC_DEMO_DOC_LICENSE : u < 0.80 ? DC_DEMO_DOC_MY_NUMBER : u < 0.85 ? DC_DEMO_DOC_PASSPORT
         : u < 0.95 ? DC_DEMO_DOC_RESIDENT_RECORD : DC_DEMO_DOC_DRIVING_HISTORY;
}

static void
place_person (const Draw *draw, DcDemoPerson *p)
{
  p->area = (guint8) below (draw, G_N_ELEMENTS (areas));
  p->town = (guint8) below (draw, G_N_ELEMENTS (areas[0].towns));
  p->chome = (guint8) (1 + below (draw, 3));
  p->ban = (guint8) (1 + below (draw, 30));
  p->go = (guint8) (1 + below (draw, 20));
  if (uniform (draw) < 0.45)
    {
      p->building = (guint8) (1 + below (draw, G_N_ELEMENTS (buildings)));
      p->room = (guint16) ((1 + below (draw, 9)) * 100 + 1 + below (draw, 12));
    }
}

static void
invent_person (const Draw *draw, DcDemoPerson *p, gboolean minor)
{
  double u = uniform (draw);
  guint age;

  memset (p, 0, sizeof *p);
  p->serial = g_rand_int (draw->rand);
  p->kind = minor || u < 0.945 ? DC_DEMO_KIND_JAPANESE : u < 0.985 ? DC_DEMO_KIND_RESIDENT : DC_DEMO_KIND_VISITOR;
  age = minor ? 15 + below (draw, 3) : p->kind == DC_DEMO_KIND_JAPANESE ? adult_age (draw) : 20 + below (draw, 26);
  p->dob = birth_for_age (draw, age);
  switch ((DcDemoKind) p->kind)
    {
    case DC_DEMO_KIND_JAPANESE:
      {
        GDate dob;

        date_of (p->dob, &dob);
        p->female = uniform (draw) < 0.42;
        p->family = (guint16) below (draw, G_N_ELEMENTS (surnames));
        p->given = given_for_year (draw, p->female ? G_N_ELEMENTS (female_names) : G_N_ELEMENTS (male_names),
                                   g_date_get_year (&dob));
        p->doc = choose_document (draw, age);
        place_person (draw, p);
        if (uniform (draw) < 0.03)
          p->supp_date = julian_of (draw->today) - below (draw, 60);   /* moved since the document was issued */
      }
      break;
    case DC_DEMO_KIND_RESIDENT:
      p->nation = (guint8) below (draw, G_N_ELEMENTS (residents));
      p->family = (guint16) below (draw, 5);
      p->given = (guint16) below (draw, 6);
      p->doc = DC_DEMO_DOC_RESIDENCE;
      place_person (draw, p);
      break;
    case DC_DEMO_KIND_VISITOR:
    default:
      p->nation = (guint8) below (draw, G_N_ELEMENTS (visitors));
      p->family = (guint16) below (draw, 5);
      p->given = (guint16) below (draw, 6);
      p->doc = DC_DEMO_DOC_PASSPORT;
      break;
    }
  fresh_doc_date (draw, p);
}

/* Bring a returning person's papers up to date: renewed when expired, a new copy of the
 * resident record, a recent receipt for an address that differs. */
static void
renew_papers (const Draw *draw, DcDemoPerson *p)
{
  guint32 today = julian_of (draw->today);

  if (p->doc == DC_DEMO_DOC_STUDENT && p->doc_date < today)
    p->doc = DC_DEMO_DOC_MY_NUMBER;
  if (p->doc == DC_DEMO_DOC_RESIDENT_RECORD ? p->doc_date + 150 < today : p->doc_date != 0 && p->doc_date < today)
    fresh_doc_date (draw, p);
  if (p->supp_date != 0 && p->supp_date + 150 < today)
    p->supp_date = today - below (draw, 60);
}

/* Would these 12 digits pass the My Number check digit? */
static gboolean
looks_like_my_number (const char *digits)
{
  guint sum = 0, check;

  for (guint n = 1; n <= 11; n++)
    sum += (guint) (digits[11 - n] - '0') * (n <= 6 ? n + 1 : n - 5);
  check = sum % 11 <= 1 ? 0 : 11 - sum % 11;
  return (guint) (digits[11] - '0') == check;
}

/* A plausible number for the person's document (none for a My Number card: the law forbids it). */
static void
doc_number (const DcDemoPerson *p, const GDate *dob, char *buf, gsize size)
{
  guint32 s = p->serial;
  static const char letters[] = "ABCDEFGHJKLMNPRSTUVWXYZ";

  switch ((DcDemoDoc) p->doc)
    {
    case DC_DEMO_DOC_LICENSE:
    case DC_DEMO_DOC_DRIVING_HISTORY:
      {
        /* Tokyo's code 30, the year first licensed, a serial, a check digit, the reissue count */
        guint first = (g_date_get_year (dob) + 18 + s % 7) % 100;
        guint serial = (s / 7) % 1000000;
        guint check = (3 * (first / 10) + first % 10 + serial * 7) % 10;

        guint reissue = (s >> 28) % 3;

        g_snprintf (buf, size, "30%02u%06u%u%u", first, serial, check, reissue);
        /* only a licence number is exempt from the My Number guard (see the report) */
        if (p->doc == DC_DEMO_DOC_DRIVING_HISTORY && looks_like_my_number (buf))
          buf[11] = (char) ('0' + (reissue + 1) % 10);
      }
      break;
    case DC_DEMO_DOC_PASSPORT:
      if (p->kind == DC_DEMO_KIND_VISITOR)
        g_snprintf (buf, size, "%c%08u", letters[s % 23], (s / 23) % 100000000);
      else
        g_snprintf (buf, size, "T%c%07u", "KRSZ"[s % 4], (s / 4) % 10000000);
      break;
    case DC_DEMO_DOC_RESIDENCE:
      g_snprintf (buf, size, "%c%c%08u%c%c", letters[s % 23], letters[(s / 23) % 23], (s / 529) % 100000000,
                  letters[(s >> 8) % 23], letters[(s >> 16) % 23]);
      break;
    case DC_DEMO_DOC_STUDENT:
      g_snprintf (buf, size, "%02u%c%05u", (g_date_get_year (dob) + 18) % 100, letters[s % 23], (s / 23) % 100000);
      break;
    case DC_DEMO_DOC_RESIDENT_RECORD:
      g_snprintf (buf, size, "%06u", s % 1000000);
      break;
    case DC_DEMO_DOC_MY_NUMBER:
    default:
      buf[0] = '\0';
      break;
    }
}

void
dc_demo_person_identity (const DcDemoPerson *p, DcDemoIdentityText *text, DcIdentity *id)
{
  GDate dob;

  dc_identity_init (id);
  date_of (p->dob, &dob);
  id->dob = dob;
  dc_demo_person_full_name (p, text->name, sizeof text->name, text->kana, sizeof text->kana);
  id->name = text->name;
  id->kana = text->kana[0] != '\0' ? text->kana : NULL;
  id->doc_type = doc_codes[p->doc];
  doc_number (p, &dob, text->number, sizeof text->number);
  id->doc_number = text->number[0] != '\0' ? text->number : NULL;
  if (p->doc == DC_DEMO_DOC_RESIDENT_RECORD)
    date_of (p->doc_date, &id->doc_issued);
  else if (p->doc_date != 0)
    date_of (p->doc_date, &id->doc_expiry);

  if (p->kind == DC_DEMO_KIND_VISITOR)
    {
      id->non_resident = TRUE;
      id->nationality = visitors[p->nation].nationality;
      id->passport_number = id->doc_number;
      return;
    }
  if (p->kind == DC_DEMO_KIND_RESIDENT)
    id->nationality = residents[p->nation].nationality;
  if (p->building != 0)
    g_snprintf (text->address, sizeof text->address, "%s%s%u-%u-%u %s%s %u", areas[p->area].city,
                areas[p->area].towns[p->town], p->chome, p->ban, p->go, buildings[p->building - 1],
                areas[p->area].towns[p->town], p->room);
  else
    g_snprintf (text->address, sizeof text->address, "%s%s%u-%u-%u", areas[p->area].city,
                areas[p->area].towns[p->town], p->chome, p->ban, p->go);
  id->address = text->address;
  if (p->supp_date != 0)
    {
      id->address_differs = TRUE;
      id->supplementary_type = supplementary_codes[p->serial % G_N_ELEMENTS (supplementary_codes)];
      date_of (p->supp_date, &id->supplementary_date);
    }
}


/* ---- the public face ---- */

void
dc_demo_person_invent (DcDemoPerson *p, GRand *rand, const GDate *today, gboolean minor)
{
  Draw draw = { rand, today };

  invent_person (&draw, p, minor);
}

void
dc_demo_person_place (DcDemoPerson *p, GRand *rand)
{
  Draw draw = { rand, NULL };

  place_person (&draw, p);
}

void
dc_demo_person_renew_papers (DcDemoPerson *p, GRand *rand, const GDate *today)
{
  Draw draw = { rand, today };

  renew_papers (&draw, p);
}
