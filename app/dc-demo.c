/* app/dc-demo.c — the demo store: synthetic people and a simulated counter, driven through the real workflows. */
#include "dc-demo.h"
#include "dc-checkin.h"
#include "dc-date.h"
#include "dc-db-records.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define MINUTE G_GINT64_CONSTANT (60000000)
#define HOUR   (60 * MINUTE)

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

typedef enum {
  DOC_LICENSE,
  DOC_MY_NUMBER,
  DOC_PASSPORT,
  DOC_RESIDENCE,
  DOC_STUDENT,
  DOC_RESIDENT_RECORD,
  DOC_DRIVING_HISTORY,
} Doc;

static const char *const doc_codes[] = {
  "drivers_license", "my_number_card", "passport", "residence_card", "student_id", "resident_record_copy",
  "driving_history_cert",
};

static const char *const supplementary_codes[] = {
  "utility_bill", "tax_receipt", "social_insurance_receipt", "tax_certificate",
};

/* Arrivals by local hour: quiet mornings, busy evenings, night packs from 21:00. */
static const guint hour_weights[24] = { 4, 3, 2, 1, 1, 1, 1, 2, 3, 3, 4, 5, 6, 6, 6, 6, 7, 8, 9, 10, 10, 10, 9, 7 };
/* Monday … Sunday: the week averages to one. */
static const double weekday_factor[7] = { 0.90, 0.90, 0.93, 0.95, 1.10, 1.17, 1.05 };

/* ---- the simulation ---- */

typedef enum {
  KIND_JAPANESE,
  KIND_RESIDENT,   /* foreign resident with a residence card */
  KIND_VISITOR,    /* no address in Japan: passport */
} Kind;

typedef struct {
  guint32 dob;         /* Julian day */
  guint32 doc_date;    /* Julian day: expiry, or issue date of a resident record; 0 = none */
  guint32 supp_date;   /* Julian day of the supplementary document; 0 = address as on the document */
  guint32 serial;      /* the digits of the document number */
  guint16 family;
  guint16 given;
  guint8  kind;
  guint8  female;
  guint8  nation;
  guint8  doc;
  guint8  area;
  guint8  town;
  guint8  chome;
  guint8  ban;
  guint8  go;
  guint8  building;    /* 0 = a house; else buildings[building - 1] */
  guint16 room;
  gboolean inside;
  char   *member;      /* member number once a customer */
} Person;

typedef struct {
  gint64   visit_id;
  guint    person;
  guint    terminal;
  gboolean minor;
} Visit;

typedef struct {
  char    *label;
  gboolean filtered;
} Terminal;

typedef struct {
  gint64   at;
  guint64  order;      /* ties keep insertion order, so runs are reproducible */
  Visit   *visit;
  gboolean move;       /* a seat change; otherwise the check-out */
} Event;

typedef struct {
  DcStore             *store;
  DcActor             *actor;
  const DcDemoOptions *options;
  DcDemoStats         *stats;
  const DcProfile     *profile;
  GTimeZone           *tz;
  GRand               *rand;
  gint64               now;          /* the simulated clock */
  gint64               end;          /* history ends here */
  GDate                today;        /* the simulated day being generated */
  GArray              *people;       /* Person */
  GHashTable          *known;        /* "name\x1fdob": no two synthetic people share a person index */
  GArray              *terminals;    /* Terminal */
  GArray              *free_open;    /* indexes of free unfiltered terminals */
  GArray              *free_filtered;
  GArray              *events;       /* binary min-heap of Event */
  guint64              order;
} Sim;

static gint64
sim_clock (gpointer user_data)
{
  return ((Sim *) user_data)->now;
}

static double
uniform (Sim *sim)
{
  return g_rand_double (sim->rand);
}

static guint
below (Sim *sim, guint n)
{
  return (guint) g_rand_int_range (sim->rand, 0, (gint32) n);
}

/* ---- departures and seat changes, in time order ---- */

static gboolean
event_before (const Event *a, const Event *b)
{
  return a->at < b->at || (a->at == b->at && a->order < b->order);
}

static void
schedule (Sim *sim, Visit *visit, gint64 at, gboolean move)
{
  Event ev = { .at = at, .order = sim->order++, .visit = visit, .move = move };
  Event *e;
  guint i;

  g_array_append_val (sim->events, ev);
  e = (Event *) sim->events->data;
  for (i = sim->events->len - 1; i > 0 && event_before (&ev, &e[(i - 1) / 2]); i = (i - 1) / 2)
    e[i] = e[(i - 1) / 2];
  e[i] = ev;
}

static Event
next_event (Sim *sim)
{
  Event *e = (Event *) sim->events->data;
  Event top = e[0], last = e[sim->events->len - 1];
  guint n = sim->events->len - 1, i = 0;

  for (;;)
    {
      guint child = 2 * i + 1;

      if (child >= n)
        break;
      if (child + 1 < n && event_before (&e[child + 1], &e[child]))
        child++;
      if (!event_before (&e[child], &last))
        break;
      e[i] = e[child];
      i = child;
    }
  e[i] = last;
  g_array_set_size (sim->events, n);
  return top;
}

/* ---- terminals ---- */

static GArray *
free_list (Sim *sim, gboolean filtered)
{
  return filtered ? sim->free_filtered : sim->free_open;
}

static void
release_terminal (Sim *sim, guint index)
{
  g_array_append_val (free_list (sim, g_array_index (sim->terminals, Terminal, index).filtered), index);
}

/* A random free terminal this customer may use: minors need a filtered one, adults are
 * shown to an unfiltered one while there is one. -1 when the store is full for them. */
static gint
take_terminal (Sim *sim, gboolean minor)
{
  GArray *list = minor || sim->free_open->len == 0 ? sim->free_filtered : sim->free_open;
  guint pick, index;

  if (list->len == 0)
    return -1;
  pick = below (sim, list->len);
  index = g_array_index (list, guint, pick);
  g_array_index (list, guint, pick) = g_array_index (list, guint, list->len - 1);
  g_array_set_size (list, list->len - 1);
  return (gint) index;
}

static const char *
terminal_label (Sim *sim, guint index)
{
  return g_array_index (sim->terminals, Terminal, index).label;
}

static gboolean
load_terminals (Sim *sim, GError **error)
{
  g_autoptr(GArray) rows = dc_db_terminal_list (dc_store_db (sim->store), error);

  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      DcTerminalRow *row = &g_array_index (rows, DcTerminalRow, i);
      Terminal t = { .filtered = row->filtered };

      /* one in use already belongs to someone this simulation does not know */
      if (row->active && !row->out_of_order && row->open_session == 0)
        {
          t.label = g_strdup (row->label);
          g_array_append_val (sim->terminals, t);
          release_terminal (sim, sim->terminals->len - 1);
        }
      dc_terminal_row_clear (row);
    }
  if (sim->terminals->len == 0)
    {
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, _("The store has no free terminal to fill a demo history with."));
      return FALSE;
    }
  return TRUE;
}

/* ---- synthetic people ---- */

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

static guint
age_on (const Person *p, const GDate *day)
{
  GDate dob;

  date_of (p->dob, &dob);
  return dc_date_age_on (&dob, day);
}

static void
full_name (const Person *p, char *buf, gsize size, char *kana, gsize kana_size)
{
  const Reading *family, *given;

  switch ((Kind) p->kind)
    {
    case KIND_JAPANESE:
      family = &surnames[p->family];
      given = p->female ? &female_names[p->given] : &male_names[p->given];
      break;
    case KIND_RESIDENT:
      family = &residents[p->nation].family[p->family];
      given = &residents[p->nation].given[p->given];
      break;
    case KIND_VISITOR:
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
birth_for_age (Sim *sim, guint age)
{
  GDate dob = sim->today;

  g_date_subtract_years (&dob, age + 1);
  g_date_add_days (&dob, 1 + below (sim, 365));
  return julian_of (&dob);
}

/* Adults mostly in their twenties and thirties, a tail up to seventy. */
static guint
adult_age (Sim *sim)
{
  double u = uniform (sim);

  if (u < 0.55)
    return 18 + below (sim, 17);
  if (u < 0.85)
    return 35 + below (sim, 15);
  return 50 + below (sim, 21);
}

static guint16
given_for_year (Sim *sim, guint n, guint year)
{
  /* centre on the generation, with a wide spread either way */
  double centre = ((double) year - 1955.0) / 60.0 * n;
  double pos = centre + (uniform (sim) + uniform (sim) - 1.0) * n / 2.5;

  return (guint16) CLAMP ((gint) pos, 0, (gint) n - 1);
}

/* The document's date, judged on @today: an expiry in the future, or an issue date
 * within the last months for a resident record. */
static void
fresh_doc_date (Sim *sim, Person *p)
{
  GDate d = sim->today, dob;

  date_of (p->dob, &dob);
  switch ((Doc) p->doc)
    {
    case DOC_LICENSE:
    case DOC_MY_NUMBER:
      /* both expire around a birthday (a licence a month after it) */
      g_date_set_dmy (&d, g_date_get_day (&dob) > 28 ? 28 : g_date_get_day (&dob), g_date_get_month (&dob),
                      g_date_get_year (&sim->today) + 1 + below (sim, p->doc == DOC_LICENSE ? 5 : 9));
      if (p->doc == DOC_LICENSE)
        g_date_add_months (&d, 1);
      break;
    case DOC_PASSPORT:
    case DOC_RESIDENCE:
      g_date_add_days (&d, 30 + below (sim, p->doc == DOC_PASSPORT ? 3600 : 1800));
      break;
    case DOC_STUDENT:
      g_date_set_dmy (&d, 31, G_DATE_MARCH, g_date_get_year (&sim->today) + 1 + below (sim, 3));
      break;
    case DOC_RESIDENT_RECORD:
      g_date_subtract_days (&d, below (sim, 120));
      break;
    case DOC_DRIVING_HISTORY:
    default:
      p->doc_date = 0;
      return;
    }
  p->doc_date = julian_of (&d);
}

static Doc
choose_document (Sim *sim, guint age)
{
  double u = uniform (sim);

  if (age < 18)
    return u < 0.55 ? DOC_STUDENT : u < 0.85 ? DOC_MY_NUMBER : u < 0.95 ? DOC_RESIDENT_RECORD : DOC_PASSPORT;
  if (age < 23)
    return u < 0.30 ? DOC_STUDENT : u < 0.60 ? DOC_LICENSE : u < 0.90 ? DOC_MY_NUMBER
           : u < 0.95 ? DOC_RESIDENT_RECORD : DOC_PASSPORT;
  if (age < 65)
    return u < 0.50 ? DOC_LICENSE : u < 0.83 ? DOC_MY_NUMBER : u < 0.90 ? DOC_PASSPORT : DOC_RESIDENT_RECORD;
  return u < 0.35 ? DOC_LICENSE : u < 0.80 ? DOC_MY_NUMBER : u < 0.85 ? DOC_PASSPORT
         : u < 0.95 ? DOC_RESIDENT_RECORD : DOC_DRIVING_HISTORY;
}

static void
place_person (Sim *sim, Person *p)
{
  p->area = (guint8) below (sim, G_N_ELEMENTS (areas));
  p->town = (guint8) below (sim, G_N_ELEMENTS (areas[0].towns));
  p->chome = (guint8) (1 + below (sim, 3));
  p->ban = (guint8) (1 + below (sim, 30));
  p->go = (guint8) (1 + below (sim, 20));
  if (uniform (sim) < 0.45)
    {
      p->building = (guint8) (1 + below (sim, G_N_ELEMENTS (buildings)));
      p->room = (guint16) ((1 + below (sim, 9)) * 100 + 1 + below (sim, 12));
    }
}

static void
invent_person (Sim *sim, Person *p, gboolean minor)
{
  double u = uniform (sim);
  guint age;

  memset (p, 0, sizeof *p);
  p->serial = g_rand_int (sim->rand);
  p->kind = minor || u < 0.945 ? KIND_JAPANESE : u < 0.985 ? KIND_RESIDENT : KIND_VISITOR;
  age = minor ? 15 + below (sim, 3) : p->kind == KIND_JAPANESE ? adult_age (sim) : 20 + below (sim, 26);
  p->dob = birth_for_age (sim, age);
  switch ((Kind) p->kind)
    {
    case KIND_JAPANESE:
      {
        GDate dob;

        date_of (p->dob, &dob);
        p->female = uniform (sim) < 0.42;
        p->family = (guint16) below (sim, G_N_ELEMENTS (surnames));
        p->given = given_for_year (sim, p->female ? G_N_ELEMENTS (female_names) : G_N_ELEMENTS (male_names),
                                   g_date_get_year (&dob));
        p->doc = choose_document (sim, age);
        place_person (sim, p);
        if (uniform (sim) < 0.03)
          p->supp_date = julian_of (&sim->today) - below (sim, 60);   /* moved since the document was issued */
      }
      break;
    case KIND_RESIDENT:
      p->nation = (guint8) below (sim, G_N_ELEMENTS (residents));
      p->family = (guint16) below (sim, 5);
      p->given = (guint16) below (sim, 6);
      p->doc = DOC_RESIDENCE;
      place_person (sim, p);
      break;
    case KIND_VISITOR:
    default:
      p->nation = (guint8) below (sim, G_N_ELEMENTS (visitors));
      p->family = (guint16) below (sim, 5);
      p->given = (guint16) below (sim, 6);
      p->doc = DOC_PASSPORT;
      break;
    }
  fresh_doc_date (sim, p);
}

/* Bring a returning person's papers up to date: renewed when expired, a new copy of the
 * resident record, a recent receipt for an address that differs. */
static void
renew_papers (Sim *sim, Person *p)
{
  guint32 today = julian_of (&sim->today);

  if (p->doc == DOC_STUDENT && p->doc_date < today)
    p->doc = DOC_MY_NUMBER;
  if (p->doc == DOC_RESIDENT_RECORD ? p->doc_date + 150 < today : p->doc_date != 0 && p->doc_date < today)
    fresh_doc_date (sim, p);
  if (p->supp_date != 0 && p->supp_date + 150 < today)
    p->supp_date = today - below (sim, 60);
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
doc_number (const Person *p, const GDate *dob, char *buf, gsize size)
{
  guint32 s = p->serial;
  static const char letters[] = "ABCDEFGHJKLMNPRSTUVWXYZ";

  switch ((Doc) p->doc)
    {
    case DOC_LICENSE:
    case DOC_DRIVING_HISTORY:
      {
        /* Tokyo's code 30, the year first licensed, a serial, a check digit, the reissue count */
        guint first = (g_date_get_year (dob) + 18 + s % 7) % 100;
        guint serial = (s / 7) % 1000000;
        guint check = (3 * (first / 10) + first % 10 + serial * 7) % 10;

        guint reissue = (s >> 28) % 3;

        g_snprintf (buf, size, "30%02u%06u%u%u", first, serial, check, reissue);
        /* only a licence number is exempt from the My Number guard (see the report) */
        if (p->doc == DOC_DRIVING_HISTORY && looks_like_my_number (buf))
          buf[11] = (char) ('0' + (reissue + 1) % 10);
      }
      break;
    case DOC_PASSPORT:
      if (p->kind == KIND_VISITOR)
        g_snprintf (buf, size, "%c%08u", letters[s % 23], (s / 23) % 100000000);
      else
        g_snprintf (buf, size, "T%c%07u", "KRSZ"[s % 4], (s / 4) % 10000000);
      break;
    case DOC_RESIDENCE:
      g_snprintf (buf, size, "%c%c%08u%c%c", letters[s % 23], letters[(s / 23) % 23], (s / 529) % 100000000,
                  letters[(s >> 8) % 23], letters[(s >> 16) % 23]);
      break;
    case DOC_STUDENT:
      g_snprintf (buf, size, "%02u%c%05u", (g_date_get_year (dob) + 18) % 100, letters[s % 23], (s / 23) % 100000);
      break;
    case DOC_RESIDENT_RECORD:
      g_snprintf (buf, size, "%06u", s % 1000000);
      break;
    case DOC_MY_NUMBER:
    default:
      buf[0] = '\0';
      break;
    }
}

/* The strings a DcIdentity borrows. */
typedef struct {
  char name[128];
  char kana[160];
  char address[256];
  char number[48];
} IdentityText;

static void
person_identity (const Person *p, IdentityText *text, DcIdentity *id)
{
  GDate dob;

  dc_identity_init (id);
  date_of (p->dob, &dob);
  id->dob = dob;
  full_name (p, text->name, sizeof text->name, text->kana, sizeof text->kana);
  id->name = text->name;
  id->kana = text->kana[0] != '\0' ? text->kana : NULL;
  id->doc_type = doc_codes[p->doc];
  doc_number (p, &dob, text->number, sizeof text->number);
  id->doc_number = text->number[0] != '\0' ? text->number : NULL;
  if (p->doc == DOC_RESIDENT_RECORD)
    date_of (p->doc_date, &id->doc_issued);
  else if (p->doc_date != 0)
    date_of (p->doc_date, &id->doc_expiry);

  if (p->kind == KIND_VISITOR)
    {
      id->non_resident = TRUE;
      id->nationality = visitors[p->nation].nationality;
      id->passport_number = id->doc_number;
      return;
    }
  if (p->kind == KIND_RESIDENT)
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

/* A new person nobody in this simulation shares a name and birthday with. */
static guint
new_person (Sim *sim, gboolean minor)
{
  Person p;
  char key[160];

  for (;;)
    {
      invent_person (sim, &p, minor);
      full_name (&p, key, sizeof key - 16, NULL, 0);
      g_snprintf (key + strlen (key), 16, "\x1f%u", p.dob);
      if (!g_hash_table_contains (sim->known, key))
        break;
    }
  g_hash_table_add (sim->known, g_strdup (key));
  g_array_append_val (sim->people, p);
  return sim->people->len - 1;
}

/* ---- the counter ---- */

static gboolean
is_refusal (const GError *error)
{
  if (error->domain != DC_ERROR)
    return FALSE;
  switch ((DcErrorCode) error->code)
    {
    case DC_ERROR_CURFEW:
    case DC_ERROR_DOC_EXPIRED:
    case DC_ERROR_DOC_TOO_OLD:
    case DC_ERROR_DOC_NOT_ACCEPTED:
    case DC_ERROR_TERMINAL_BUSY:
    case DC_ERROR_TERMINAL_NOT_FILTERED:
    case DC_ERROR_TERMINAL_UNAVAILABLE:
    case DC_ERROR_ALREADY_IN:
      return TRUE;
    case DC_ERROR_INVALID:
    case DC_ERROR_INVALID_DATE:
    case DC_ERROR_MISSING_FIELD:
    case DC_ERROR_FORBIDDEN_NUMBER:
    case DC_ERROR_NOT_FOUND:
    case DC_ERROR_EXISTS:
    case DC_ERROR_WRONG_SECRET:
    case DC_ERROR_LOCKED:
    case DC_ERROR_PERMISSION:
    case DC_ERROR_WEAK_SECRET:
    case DC_ERROR_CRYPTO:
    case DC_ERROR_TAMPERED:
    case DC_ERROR_IO:
    default:
      return FALSE;
    }
}

/* A rule refused it: count it as a counter would, and carry on. */
static gboolean
refused (Sim *sim, GError **local, GError **error)
{
  if (!is_refusal (*local))
    {
      g_propagate_error (error, g_steal_pointer (local));
      return FALSE;
    }
  g_clear_error (local);
  sim->stats->refused++;
  return TRUE;
}

static gboolean
checkout (Sim *sim, Visit *visit, GError **error)
{
  DcExitReason reason = uniform (sim) < 0.25 ? DC_EXIT_CUSTOMER : DC_EXIT_STAFF;

  if (!dc_checkout (sim->store, sim->actor, NULL, visit->visit_id, reason, error))
    return FALSE;
  release_terminal (sim, visit->terminal);
  g_array_index (sim->people, Person, visit->person).inside = FALSE;
  g_free (visit);
  return TRUE;
}

static gboolean
change_seat (Sim *sim, Visit *visit, GError **error)
{
  GError *local = NULL;
  gint to = take_terminal (sim, visit->minor);

  if (to < 0)
    return TRUE;   /* nowhere to go: they stay */
  if (!dc_move (sim->store, sim->actor, terminal_label (sim, visit->terminal), terminal_label (sim, (guint) to),
                &local))
    {
      release_terminal (sim, (guint) to);
      return refused (sim, &local, error);
    }
  release_terminal (sim, visit->terminal);
  visit->terminal = (guint) to;
  sim->stats->seat_changes++;
  return TRUE;
}

/* Everything that happens before @until: check-outs and seat changes. */
static gboolean
run_events (Sim *sim, gint64 until, GError **error)
{
  while (sim->events->len > 0 && g_array_index (sim->events, Event, 0).at < until)
    {
      Event ev = next_event (sim);

      sim->now = ev.at;
      if (!(ev.move ? change_seat (sim, ev.visit, error) : checkout (sim, ev.visit, error)))
        return FALSE;
    }
  return TRUE;
}

/* Minutes a minor of @age may still stay after @minute before the curfew, or -1 when none applies. */
static gint
minutes_left (Sim *sim, guint age, guint minute)
{
  return dc_profile_minutes_to_curfew (sim->profile, age, minute);
}

static gboolean
minor_may_come (Sim *sim, guint age, guint minute)
{
  gint left = minutes_left (sim, age, minute);

  return minute >= 13 * 60 && minute < 21 * 60 && (left < 0 || left >= 90);
}

static gint64
stay_length (Sim *sim, gboolean minor, guint age, guint minute)
{
  gint64 stay;

  if (minor)
    {
      gint left = minutes_left (sim, age, minute);
      guint most = left < 0 ? 300 : MIN (300, (guint) left - 20);

      stay = (60 + below (sim, most - 60 + 1)) * MINUTE;
    }
  else if ((minute >= 21 * 60 || minute < 2 * 60) && uniform (sim) < 0.5)
    stay = 6 * HOUR + (gint64) (uniform (sim) * 6 * HOUR);   /* a night pack */
  else
    stay = HOUR + (gint64) (pow (uniform (sim), 2.5) * 8 * HOUR);
  return stay + below (sim, 60) * G_USEC_PER_SEC;
}

/* A returning person who is not in the store and may come in now; -1 when none is found quickly. */
static gint
pick_returning (Sim *sim, guint minute)
{
  guint n = sim->people->len;

  for (int tries = 0; tries < 8; tries++)
    {
      /* regulars: earlier customers come back more often */
      guint index = (guint) (n * pow (uniform (sim), 1.6));
      Person *p = &g_array_index (sim->people, Person, MIN (index, n - 1));
      guint age = age_on (p, &sim->today);

      if (p->inside || p->member == NULL || p->kind == KIND_VISITOR)
        continue;
      if (age < 18 && !minor_may_come (sim, age, minute))
        continue;
      return (gint) MIN (index, n - 1);
    }
  return -1;
}

typedef enum {
  COME_NEW,
  COME_CARD,
  COME_DOCUMENT,
} Coming;

static gboolean
check_in (Sim *sim, Coming how, guint person, guint terminal, DcCheckinResult *result, GError **error)
{
  Person *p = &g_array_index (sim->people, Person, person);
  IdentityText text;
  DcCheckinRequest req = { .terminal = terminal_label (sim, terminal), .internet = TRUE };

  if (how == COME_CARD)
    return dc_checkin_member (sim->store, sim->actor, p->member, req.terminal, result, error);
  if (how == COME_DOCUMENT)
    renew_papers (sim, p);
  person_identity (p, &text, &req.identity);
  return dc_checkin (sim->store, sim->actor, &req, result, error);
}

static void
count_visit (Sim *sim, Coming how, const DcCheckinResult *result)
{
  sim->stats->visits++;
  if (result->minor)
    sim->stats->minors++;
  if (how == COME_CARD)
    sim->stats->returning_by_card++;
  else if (result->new_customer)
    sim->stats->new_customers++;
  else
    sim->stats->returning_by_document++;
}

static gboolean
arrive (Sim *sim, guint minute, GError **error)
{
  DcCheckinResult result = { 0 };
  double u = uniform (sim);
  Coming how = u < 0.25 || sim->people->len < 50 ? COME_NEW : u < 0.80 ? COME_CARD : COME_DOCUMENT;
  gint person = how == COME_NEW ? -1 : pick_returning (sim, minute);
  gboolean minor;
  guint age;
  gint terminal;
  GError *local = NULL;
  Visit *visit;
  gint64 stay;

  if (person < 0)
    {
      /* minors come only in the afternoon and early evening */
      how = COME_NEW;
      minor = minor_may_come (sim, 17, minute) && minor_may_come (sim, 15, minute) && uniform (sim) < 0.08;
    }
  else
    minor = age_on (&g_array_index (sim->people, Person, person), &sim->today) < 18;

  terminal = take_terminal (sim, minor);
  if (terminal < 0)
    {
      sim->stats->refused++;   /* full: turned away at the door */
      return TRUE;
    }
  if (person < 0)
    person = (gint) new_person (sim, minor);

  if (!check_in (sim, how, (guint) person, (guint) terminal, &result, &local))
    {
      release_terminal (sim, (guint) terminal);
      return refused (sim, &local, error);
    }
  count_visit (sim, how, &result);

  {
    Person *p = &g_array_index (sim->people, Person, person);

    p->inside = TRUE;
    if (p->member == NULL)
      p->member = g_steal_pointer (&result.member_number);
    age = age_on (p, &sim->today);
  }
  dc_checkin_result_clear (&result);
  visit = g_new0 (Visit, 1);
  visit->visit_id = result.visit_id;
  visit->person = (guint) person;
  visit->terminal = (guint) terminal;
  visit->minor = result.minor;
  stay = stay_length (sim, result.minor, age, minute);
  schedule (sim, visit, sim->now + stay, FALSE);
  if (uniform (sim) < 0.03)
    schedule (sim, visit, sim->now + (gint64) ((0.2 + 0.6 * uniform (sim)) * stay), TRUE);
  return TRUE;
}

/* Now and then someone the rules turn away: a teenager after the curfew, an expired
 * licence, a notification card (通知カード), which is no proof of identity. */
static gboolean
turned_away (Sim *sim, guint minute, GError **error)
{
  DcCheckinResult result = { 0 };
  DcCheckinRequest req = { .terminal = terminal_label (sim, 0), .internet = TRUE };
  gboolean night = dc_profile_in_curfew (sim->profile, 16, minute);
  IdentityText text;
  Person p;
  GError *local = NULL;
  gint expected;

  invent_person (sim, &p, night);
  if (p.kind == KIND_VISITOR)
    place_person (sim, &p);
  if (night)
    expected = DC_ERROR_CURFEW;
  else if (uniform (sim) < 0.5)
    {
      GDate expired = sim->today;

      p.kind = KIND_JAPANESE;
      p.doc = DOC_LICENSE;
      g_date_subtract_days (&expired, 1 + below (sim, 200));
      p.doc_date = julian_of (&expired);
      expected = DC_ERROR_DOC_EXPIRED;
    }
  else
    expected = DC_ERROR_DOC_NOT_ACCEPTED;
  person_identity (&p, &text, &req.identity);
  if (expected == DC_ERROR_DOC_NOT_ACCEPTED)
    {
      req.identity.doc_type = "notification_card";
      req.identity.doc_number = NULL;
    }
  if (dc_checkin (sim->store, sim->actor, &req, &result, &local))
    {
      dc_checkin_result_clear (&result);
      g_set_error (error, DC_ERROR, DC_ERROR_INVALID, "demo: a check-in the rules should refuse was accepted");
      return FALSE;
    }
  if (!g_error_matches (local, DC_ERROR, expected))
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  g_clear_error (&local);
  sim->stats->refused++;
  return TRUE;
}

static gint
compare_instants (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The day's arrivals, in order, within [@from, @to). */
static GArray *
arrivals (Sim *sim, gint64 day_start, gint64 from, gint64 to)
{
  guint total = 0, count;
  double factor = weekday_factor[g_date_get_weekday (&sim->today) - 1] * (0.9 + 0.2 * uniform (sim));
  GArray *times;

  for (guint h = 0; h < 24; h++)
    total += hour_weights[h];
  count = (guint) (sim->options->visits_per_day * factor + 0.5);
  times = g_array_sized_new (FALSE, FALSE, sizeof (gint64), count);
  for (guint i = 0; i < count; i++)
    {
      guint r = below (sim, total), h = 0;
      gint64 at;

      while (r >= hour_weights[h])
        r -= hour_weights[h++];
      at = day_start + h * HOUR + (gint64) (uniform (sim) * HOUR);
      if (at >= from && at < to)
        g_array_append_val (times, at);
    }
  g_array_sort (times, compare_instants);
  return times;
}

static gboolean
simulate_day (Sim *sim, gint64 from, GError **error)
{
  GTimeZone *tz = sim->tz;
  GDate next = sim->today;
  gint64 day_start = dc_date_start_instant (&sim->today, tz);
  gint64 day_end;
  g_autoptr(GArray) times = NULL;

  g_date_add_days (&next, 1);
  day_end = MIN (dc_date_start_instant (&next, tz), sim->end);
  times = arrivals (sim, day_start, MAX (from, day_start), day_end);
  for (guint i = 0; i < times->len; i++)
    {
      gint64 at = g_array_index (times, gint64, i);
      guint minute;

      if (!run_events (sim, at, error))
        return FALSE;
      sim->now = at;
      minute = dc_time_minute_of_day (at, tz);
      if (uniform (sim) < (dc_profile_in_curfew (sim->profile, 16, minute) ? 0.01 : 0.002))
        {
          if (!turned_away (sim, minute, error))
            return FALSE;
        }
      else if (!arrive (sim, minute, error))
        return FALSE;
    }
  return run_events (sim, day_end, error);
}

static void
sim_clear (Sim *sim)
{
  for (guint i = 0; sim->events != NULL && i < sim->events->len; i++)
    if (!g_array_index (sim->events, Event, i).move)
      g_free (g_array_index (sim->events, Event, i).visit);
  for (guint i = 0; sim->people != NULL && i < sim->people->len; i++)
    g_free (g_array_index (sim->people, Person, i).member);
  for (guint i = 0; sim->terminals != NULL && i < sim->terminals->len; i++)
    g_free (g_array_index (sim->terminals, Terminal, i).label);
  g_clear_pointer (&sim->events, g_array_unref);
  g_clear_pointer (&sim->people, g_array_unref);
  g_clear_pointer (&sim->terminals, g_array_unref);
  g_clear_pointer (&sim->free_open, g_array_unref);
  g_clear_pointer (&sim->free_filtered, g_array_unref);
  g_clear_pointer (&sim->known, g_hash_table_unref);
  g_clear_pointer (&sim->rand, g_rand_free);
}

/* Walk the days, each in one transaction: the workflows nest inside it as savepoints. */
static gboolean
simulate (Sim *sim, GError **error)
{
  DcDb *db = dc_store_db (sim->store);
  gint64 start = sim->end - (gint64) sim->options->days * 24 * HOUR;
  GDate last;
  guint n_days, day = 0;

  dc_date_from_instant (start, sim->tz, &sim->today);
  dc_date_from_instant (sim->end - 1, sim->tz, &last);
  n_days = g_date_days_between (&sim->today, &last) + 1;
  for (; g_date_compare (&sim->today, &last) <= 0; g_date_add_days (&sim->today, 1))
    {
      if (!dc_db_begin (db, error))
        return FALSE;
      if (!simulate_day (sim, start, error) || !dc_db_commit (db, error))
        {
          dc_db_rollback (db);
          return FALSE;
        }
      /* automatic checkpoints are off: keep the WAL to about a day */
      if (!dc_db_checkpoint (db, FALSE, error))
        return FALSE;
      if (sim->options->progress != NULL)
        sim->options->progress (++day, n_days, sim->options->progress_data);
    }
  return TRUE;
}

gboolean
dc_demo_fill (DcStore *store, DcActor *actor, const DcDemoOptions *options, DcDemoStats *stats, GError **error)
{
  DcDb *db = dc_store_db (store);
  DcDemoStats local_stats = { 0 };
  DcClockFunc saved_clock;
  gpointer saved_data;
  Sim sim;
  gboolean ok;

  g_return_val_if_fail (store != NULL && actor != NULL && options != NULL, FALSE);
  g_return_val_if_fail (options->days > 0 && options->visits_per_day > 0, FALSE);

  sim = (Sim) {
    .store = store,
    .actor = actor,
    .options = options,
    .stats = stats != NULL ? stats : &local_stats,
    .profile = dc_store_profile (store),
    .tz = dc_store_timezone (store),
    .rand = g_rand_new_with_seed (options->seed),
    .people = g_array_new (FALSE, FALSE, sizeof (Person)),
    .known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    .terminals = g_array_new (FALSE, FALSE, sizeof (Terminal)),
    .free_open = g_array_new (FALSE, FALSE, sizeof (guint)),
    .free_filtered = g_array_new (FALSE, FALSE, sizeof (guint)),
    .events = g_array_new (FALSE, FALSE, sizeof (Event)),
  };
  memset (sim.stats, 0, sizeof *sim.stats);
  dc_store_get_clock (store, &saved_clock, &saved_data);
  sim.end = saved_clock (saved_data);
  ok = load_terminals (&sim, error) && dc_db_set_bulk (db, TRUE, error);
  if (ok)
    {
      dc_store_set_clock (store, sim_clock, &sim);
      ok = simulate (&sim, error);
      dc_store_set_clock (store, saved_clock, saved_data);
      /* durable again before anyone relies on it */
      ok = dc_db_set_bulk (db, FALSE, ok ? error : NULL) && ok;
    }
  sim_clear (&sim);
  return ok;
}

/* ---- a whole demo store ---- */

guint
dc_demo_default_terminals (guint visits_per_day)
{
  /* 60 booths serve about 200 visits a day; beyond that the store grows with its load */
  guint need = (visits_per_day * 3 + 9) / 10;

  return MAX (60, (need + 3) / 4 * 4);
}

static gboolean
add_terminals (DcStore *store, DcActor *manager, guint n, GError **error)
{
  DcDb *db = dc_store_db (store);
  int width = n > 99 ? 3 : 2;

  if (!dc_db_begin (db, error))
    return FALSE;
  for (guint i = 1; i <= n; i++)
    {
      char label[16], booth[16];

      g_snprintf (label, sizeof label, "PC-%0*u", width, i);
      g_snprintf (booth, sizeof booth, "B%0*u", width, i);
      if (!dc_store_add_terminal (store, manager, label, booth, i % 4 == 0, NULL, error))
        {
          dc_db_rollback (db);
          return FALSE;
        }
    }
  return dc_db_commit (db, error);
}

static gboolean
set_up (DcStore *store, const DcDemoOptions *options, DcDemoStats *stats, GError **error)
{
  g_autoptr(DcActor) manager = NULL;
  g_autoptr(DcActor) counter = NULL;
  guint terminals = options->terminals != 0 ? options->terminals
                    : dc_demo_default_terminals (options->visits_per_day);

  manager = dc_store_sign_in_passphrase (store, DC_DEMO_MANAGER, DC_DEMO_PASSPHRASE, error);
  if (manager == NULL
      || !dc_store_add_staff (store, manager, "受付 佐藤", "counter", DC_DEMO_PIN, NULL, NULL, error)
      || !dc_store_add_staff (store, manager, "受付 鈴木", "counter", DC_DEMO_PIN, NULL, NULL, error)
      || !add_terminals (store, manager, terminals, error))
    return FALSE;
  counter = dc_store_sign_in_pin (store, "受付 佐藤", DC_DEMO_PIN, error);
  return counter != NULL && dc_demo_fill (store, counter, options, stats, error);
}

static void
remove_demo (const char *dir, gboolean made_dir)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/%s%s", dir, DC_STORE_DB_NAME, suffixes[i]);
      g_unlink (path);
    }
  if (made_dir)
    g_rmdir (dir);
}

DcStore *
dc_demo_create (const char *dir, const DcDemoOptions *options, DcDemoStats *stats, GError **error)
{
  DcStoreSetup setup = {
    .name = "デモ店 新宿東口",
    .operator_name = "株式会社デモ (デモデータ)",
    .address = "東京都新宿区新宿3-1-1 デモビル5階 (架空)",
    .prefecture = "tokyo",
    .manager = DC_DEMO_MANAGER,
    .demo = TRUE,
  };
  gboolean made_dir = !g_file_test (dir, G_FILE_TEST_EXISTS);
  g_autoptr(DcStore) store = NULL;
  char *recovery = NULL;

  store = dc_store_create (dir, &setup, DC_DEMO_PASSPHRASE, DC_DEMO_PIN, &recovery, error);
  dc_secret_free (recovery);
  if (store == NULL)
    return NULL;
  if (!set_up (store, options, stats, error))
    {
      /* half a demo is no use to anyone */
      g_clear_pointer (&store, dc_store_free);
      remove_demo (dir, made_dir);
      return NULL;
    }
  return g_steal_pointer (&store);
}
