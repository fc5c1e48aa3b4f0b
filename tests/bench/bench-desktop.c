/* tests/bench/bench-desktop.c — the counter app against issue 3's figures: start to sign-in, peak memory, a check-in within a frame. */
#include "dc-application.h"
#include "dc-checkin.h"
#include "dc-window.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N_TERMINALS       200
#define N_MINORS          10      /* on the first filtered terminals: PC-004, PC-008 … */
#define TARGET_STARTUP_MS 500.0
#define TARGET_MEMORY_MB  150.0
#define FRAME_MS          (1000.0 / 60)
#define BENCH_PASSPHRASE  "bench-passphrase"
#define BENCH_MANAGER     "店長 ベンチ"
#define BENCH_CLERK       "受付 ベンチ"
#define BENCH_PIN         "2468"
#define LINE_TIMEOUT_MS   30000

typedef struct {
  const char *what;
  GArray     *ms;       /* double, one per sample */
  double      p50;
  double      p99;
  double      max;
} Series;

static void
die (const char *what, GError *error)
{
  g_printerr ("bench-desktop: %s: %s\n", what, error != NULL ? error->message : "failed");
  exit (1);
}

static double
ms_since (gint64 t0_us)
{
  return (g_get_monotonic_time () - t0_us) / 1000.0;
}

static gint
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static Series
series_new (const char *what)
{
  return (Series) { .what = what, .ms = g_array_new (FALSE, FALSE, sizeof (double)) };
}

static void
series_add (Series *s, double value)
{
  g_array_append_val (s->ms, value);
}

static void
series_finish (Series *s)
{
  guint n = s->ms->len;

  if (n == 0)
    return;
  g_array_sort (s->ms, compare_double);
  s->p50 = g_array_index (s->ms, double, n / 2);
  s->p99 = g_array_index (s->ms, double, MIN (n - 1, n * 99 / 100));
  s->max = g_array_index (s->ms, double, n - 1);
}

static const char *
verdict (gboolean ok)
{
  return ok ? "ok" : "MISSED";
}

#define NAME_WIDTH 46

static void
table_header (const char *unit)
{
  g_print ("  %*s %9s %9s %9s %5s   %s\n", NAME_WIDTH, "", unit, "p99", "max", "n", "target");
}

/* Left-aligned in NAME_WIDTH columns: printf pads bytes, and "→" is three of them. */
static void
print_name (const char *name)
{
  glong pad = NAME_WIDTH - g_utf8_strlen (name, -1);

  g_print ("  %s%*s", name, (int) MAX (pad, 0), "");
}

/* @judged: the figure the target applies to (NULL: no target, shown for context). */
static void
table_row (Series *s, const double *judged, const char *judged_name, double target, const char *target_unit)
{
  series_finish (s);
  print_name (s->what);
  g_print (" %9.1f %9.1f %9.1f %5u", s->p50, s->p99, s->max, s->ms->len);
  if (judged != NULL)
    g_print ("   %s <= %.1f %s: %s", judged_name, target, target_unit, verdict (*judged <= target));
  g_print ("\n");
}

static void
series_clear (Series *s)
{
  g_clear_pointer (&s->ms, g_array_unref);
}

static gboolean
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rm_rf (child);
      else
        g_unlink (child);
    }
  return g_rmdir (path) == 0;
}

/* ---- (1) the store: 200 terminals, 200 people in, on a fixed clock ---- */

static gint64
read_clock (gpointer user_data)
{
  return *(gint64 *) user_data;
}

static gint64
tokyo (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Asia/Tokyo");
  g_autoptr(GDateTime) dt = g_date_time_new (tz, year, month, day, hour, minute, 0);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static char *
terminal_label (guint n)
{
  return g_strdup_printf ("PC-%03u", n);
}

/* The @i-th synthetic customer: unique by name and date of birth and by document; a minor
 * is 16 on the bench day. */
static void
bench_identity (guint i, gboolean minor, char *name, gsize name_size, char *number, gsize number_size,
                DcIdentity *id)
{
  static const char *const family[] = { "青山", "赤坂", "石原", "上村", "江口", "大橋", "片山", "北川", "久保田", "小池" };
  static const char *const given[] = { "一郎", "二郎", "三郎", "花子", "葉子", "光", "誠", "彩", "翼", "涼" };

  dc_identity_init (id);
  g_snprintf (name, name_size, "%s %s", family[i % 10], given[(i / 10) % 10]);
  g_snprintf (number, number_size, "3015%06u%02u", i, i % 97);
  id->doc_type = "drivers_license";
  id->doc_number = number;
  id->name = name;
  id->kana = "ベンチ テスト";
  if (minor)
    g_date_set_dmy (&id->dob, 5, 5, 2010);
  else
    g_date_set_dmy (&id->dob, 1, 1, 1960);
  g_date_add_days (&id->dob, minor ? i : 30 + i / 100 + (i % 100) * 97);
  g_date_set_dmy (&id->doc_expiry, 1, 1, 2099);
  id->address = "東京都新宿区西新宿2-8-1";
}

static void
checkin (DcStore *store, DcActor *clerk, guint i, gboolean minor, const char *terminal)
{
  DcCheckinRequest request = { .terminal = terminal, .internet = TRUE };
  DcCheckinResult result = { 0 };
  char name[64], number[32];
  GError *error = NULL;

  bench_identity (i, minor, name, sizeof name, number, sizeof number, &request.identity);
  if (!dc_checkin (store, clerk, &request, &result, &error))
    die ("check in", error);
  if (result.minor != minor)
    die ("a minor was not judged a minor, or an adult was", NULL);
  dc_checkin_result_clear (&result);
}

static void
add_terminals (DcStore *store, DcActor *manager)
{
  GError *error = NULL;

  if (!dc_db_begin (dc_store_db (store), &error))
    die ("begin", error);
  for (guint n = 1; n <= N_TERMINALS; n++)
    {
      g_autofree char *label = terminal_label (n);
      g_autofree char *booth = g_strdup_printf ("B%03u", n);

      if (!dc_store_add_terminal (store, manager, label, booth, n % 4 == 0, NULL, &error))
        die ("add a terminal", error);
    }
  if (!dc_db_commit (dc_store_db (store), &error))
    die ("commit", error);
}

static void
build_store (const char *store_dir, gint64 *clock)
{
  DcStoreSetup setup = {
    .name = "ベンチ店", .operator_name = "ベンチ (合成データ)", .prefecture = "tokyo", .manager = BENCH_MANAGER,
  };
  g_autoptr(DcStore) store = NULL;
  g_autoptr(DcActor) manager = NULL;
  g_autoptr(DcActor) clerk = NULL;
  char *recovery = NULL;
  GError *error = NULL;
  gint64 t0 = g_get_monotonic_time (), t1, t2, at;

  store = dc_store_create (store_dir, &setup, BENCH_PASSPHRASE, BENCH_PIN, &recovery, &error);
  dc_secret_free (recovery);
  if (store == NULL)
    die ("create the store", error);
  /* set up before the first check-in */
  at = *clock - (gint64) (N_TERMINALS + 10) * 60 * G_USEC_PER_SEC;
  dc_store_set_clock (store, read_clock, &at);
  manager = dc_store_sign_in_passphrase (store, BENCH_MANAGER, BENCH_PASSPHRASE, &error);
  if (manager == NULL || !dc_store_add_staff (store, manager, BENCH_CLERK, "counter", BENCH_PIN, NULL, NULL, &error))
    die ("add the clerk", error);
  t1 = g_get_monotonic_time ();
  add_terminals (store, manager);
  clerk = dc_store_sign_in_pin (store, BENCH_CLERK, BENCH_PIN, &error);
  if (clerk == NULL)
    die ("sign the clerk in", error);
  t2 = g_get_monotonic_time ();
  /* a minute apart, the last at the bench time; minors only on filtered terminals (every
   * fourth), adults everywhere else */
  for (guint n = 1; n <= N_TERMINALS; n++)
    {
      g_autofree char *label = terminal_label (n);

      at = *clock - (gint64) (N_TERMINALS - n) * 60 * G_USEC_PER_SEC;
      checkin (store, clerk, n - 1, n % 4 == 0 && n <= 4 * N_MINORS, label);
    }
  dc_store_set_clock (store, read_clock, clock);
  if (!dc_store_checkpoint (store, &error))
    die ("checkpoint", error);
  g_print ("  store: %u terminals (every 4th filtered), %u people in (%u minors), built in %.1f s"
           " (create and staff %.1f s, terminals and a PIN sign-in %.1f s, %u check-ins %.1f s)\n",
           N_TERMINALS, N_TERMINALS, N_MINORS, ms_since (t0) / 1000, (t1 - t0) / 1e6, (t2 - t1) / 1e6, N_TERMINALS,
           ms_since (t2) / 1000);
}

/* ---- (2), (3) the real program: start to sign-in, then signed in, and its peak memory ---- */

typedef struct {
  GSubprocess      *proc;
  GDataInputStream *out;
  char             *line;
  gboolean          done;
  GString          *said;   /* its other output (stderr is merged): warnings, for the report */
} Child;

static void
got_line (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Child *child = user_data;

  child->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  child->done = TRUE;
}

/* The monotonic µs on the child's next line "daicho-@what <µs>" (other lines are skipped). */
static gint64
child_wait_for (Child *child, const char *what)
{
  g_autofree char *prefix = g_strdup_printf ("daicho-%s ", what);
  gint64 until = g_get_monotonic_time () + LINE_TIMEOUT_MS * 1000;

  for (;;)
    {
      g_autofree char *line = NULL;

      child->done = FALSE;
      g_data_input_stream_read_line_async (child->out, G_PRIORITY_DEFAULT, NULL, got_line, child);
      while (!child->done)
        {
          if (g_get_monotonic_time () > until)
            {
              g_subprocess_force_exit (child->proc);
              g_printerr ("%sbench-desktop: no \"%s\" line from daicho in %d s (is the DAICHO_BENCH_STARTUP hook"
                          " in ui/desktop/dc-window.c?)\n", child->said->str, prefix, LINE_TIMEOUT_MS / 1000);
              exit (1);
            }
          if (!g_main_context_iteration (NULL, FALSE))
            g_usleep (500);
        }
      line = g_steal_pointer (&child->line);
      if (line == NULL)
        {
          g_printerr ("%s", child->said->str);
          die ("daicho exited before it was ready", NULL);
        }
      if (g_str_has_prefix (line, prefix))
        return g_ascii_strtoll (line + strlen (prefix), NULL, 10);
      if (!g_str_has_prefix (line, "daicho-") && *line != '\0')
        g_string_append_printf (child->said, "    %s\n", line);
    }
}

/* A field of /proc/PID/status in MB ("VmHWM", "VmRSS"). */
static double
proc_status_mb (GSubprocess *proc, const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", g_subprocess_get_identifier (proc));
  g_autofree char *text = NULL;
  g_autofree char *key = g_strconcat ("\n", field, ":", NULL);
  const char *at;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (at = strstr (text, key)) == NULL)
    die ("read the memory of daicho", NULL);
  return g_ascii_strtod (at + strlen (key), NULL) / 1024;
}

/* CPU time (user + system, all threads) the child has used so far, in ms: unlike the wall
 * clock, it does not grow when other programs load the machine. */
static double
proc_cpu_ms (GSubprocess *proc)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", g_subprocess_get_identifier (proc));
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_comm;

  /* the command name may hold spaces: fields are counted after its closing parenthesis */
  if (!g_file_get_contents (path, &text, NULL, NULL) || (after_comm = strrchr (text, ')')) == NULL)
    die ("read the CPU time of daicho", NULL);
  fields = g_strsplit (after_comm + 2, " ", 0);
  if (g_strv_length (fields) < 13)
    die ("read the CPU time of daicho", NULL);
  /* utime and stime: fields 14 and 15 of stat(5), 12 and 13 after the name */
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) * 1000.0 / sysconf (_SC_CLK_TCK);
}

typedef struct {
  Series startup;     /* spawn → first frame of the sign-in page */
  Series startup_cpu;
  Series signin;      /* sign-in → first frame of the counter with 200 in */
  Series hwm_ready;   /* MB */
  Series hwm_counter;
  Series rss_counter;
} Runs;

static void
settle (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

/* One start of the program; returns what else it said. */
static GString *
run_program (const char *daicho, const char *store_dir, Runs *runs)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autofree char *pin = g_strdup_printf ("%s:%s", BENCH_CLERK, BENCH_PIN);
  const char *argv[] = { daicho, "--store", store_dir, NULL };
  Child child = { .said = g_string_new (NULL) };
  GError *error = NULL;
  gint64 t0, ready, signin, counter;

  g_subprocess_launcher_setenv (launcher, "DAICHO_BENCH_STARTUP", "1", TRUE);
  {
    /* the PIN on a pipe, as every secret travels */
    int fds[2];

    if (pipe (fds) != 0 || write (fds[1], pin, strlen (pin)) != (gssize) strlen (pin) || write (fds[1], "\n", 1) != 1)
      die ("pipe", NULL);
    close (fds[1]);
    g_subprocess_launcher_take_fd (launcher, fds[0], 3);
    g_subprocess_launcher_setenv (launcher, "DAICHO_BENCH_PIN_FD", "3", TRUE);
  }
  t0 = g_get_monotonic_time ();
  child.proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  if (child.proc == NULL)
    die (daicho, error);
  child.out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child.proc));

  ready = child_wait_for (&child, "ready");
  series_add (&runs->startup_cpu, proc_cpu_ms (child.proc));
  /* the app waits 300 ms before signing in: this is the sign-in page's own peak */
  series_add (&runs->hwm_ready, proc_status_mb (child.proc, "VmHWM"));
  signin = child_wait_for (&child, "signin");
  counter = child_wait_for (&child, "counter");
  settle (500);   /* the page's cross-fade, and anything lazily built after the first frame */
  series_add (&runs->hwm_counter, proc_status_mb (child.proc, "VmHWM"));
  series_add (&runs->rss_counter, proc_status_mb (child.proc, "VmRSS"));
  series_add (&runs->startup, (ready - t0) / 1000.0);
  series_add (&runs->signin, (counter - signin) / 1000.0);

  g_subprocess_send_signal (child.proc, SIGTERM);
  g_subprocess_wait (child.proc, NULL, NULL);
  g_object_unref (child.out);
  g_object_unref (child.proc);
  return child.said;
}

static void
bench_program (const char *daicho, const char *store_dir, guint n_runs)
{
  Runs runs = {
    .startup = series_new ("start → sign-in page painted, ms"),
    .startup_cpu = series_new ("  CPU time used by then (all threads), ms"),
    .signin = series_new ("PIN sign-in → counter (200/200) painted, ms"),
    .hwm_ready = series_new ("peak memory at sign-in (VmHWM), MB"),
    .hwm_counter = series_new ("peak memory at the counter (VmHWM), MB"),
    .rss_counter = series_new ("memory at the counter (VmRSS), MB"),
  };
  g_autoptr(GString) said = NULL;

  for (guint i = 0; i < n_runs; i++)
    {
      GString *run_said = run_program (daicho, store_dir, &runs);

      if (said == NULL)
        said = run_said;
      else
        g_string_free (run_said, TRUE);
    }
  g_print ("  real program: %s --store …, %u starts (ms to sign-in:", daicho, n_runs);
  for (guint i = 0; i < n_runs; i++)
    g_print (" %.0f", g_array_index (runs.startup.ms, double, i));
  g_print (")\n");

  table_header ("p50");
  table_row (&runs.startup, &runs.startup.max, "max", TARGET_STARTUP_MS, "ms");
  table_row (&runs.startup_cpu, NULL, NULL, 0, NULL);
  table_row (&runs.signin, NULL, NULL, 0, NULL);
  table_row (&runs.hwm_ready, &runs.hwm_ready.max, "max", TARGET_MEMORY_MB, "MB");
  table_row (&runs.hwm_counter, &runs.hwm_counter.max, "max", TARGET_MEMORY_MB, "MB");
  table_row (&runs.rss_counter, NULL, NULL, 0, NULL);
  if (said->len > 0)
    g_print ("  what daicho printed besides (first start):\n%s", said->str);
  series_clear (&runs.startup);
  series_clear (&runs.startup_cpu);
  series_clear (&runs.signin);
  series_clear (&runs.hwm_ready);
  series_clear (&runs.hwm_counter);
  series_clear (&runs.rss_counter);
}

/* ---- (4) in-process: a check-in (and a check-out) on the full board, refresh and next frame ---- */

typedef struct {
  DcWindow  *window;
  DcSession *session;
  gint64     painted;   /* monotonic µs of the last after-paint, 0 while waiting */
  gint64     began;     /* … of that frame's before-paint */
  gint64     laid_out;  /* … of its layout signal, as our handler sees it */
} Ui;

static void
on_before_paint (GdkFrameClock *clock, Ui *ui)
{
  if (ui->painted == 0)
    ui->began = g_get_monotonic_time ();
}

static void
on_layout (GdkFrameClock *clock, Ui *ui)
{
  if (ui->painted == 0)
    ui->laid_out = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock, Ui *ui)
{
  if (ui->painted == 0)
    ui->painted = g_get_monotonic_time ();
}

/* Run the main loop until the next frame is painted; its monotonic µs. */
static gint64
wait_for_paint (Ui *ui)
{
  gint64 until = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

  while (ui->painted == 0)
    {
      if (g_get_monotonic_time () > until)
        die ("no frame was painted after a change within 2 s", NULL);
      g_main_context_iteration (NULL, ui->painted == 0);
    }
  return ui->painted;
}

/* Where a change's time goes. GTK sizes the toplevel in an idle before the frame begins
 * (X11's compute-size); our "layout" handler runs after GdkSurface's but before GtkRoot's,
 * which connects anew each frame, so the split of the frame is approximate. */
typedef struct {
  Series refresh;   /* dc_session_changed → refreshed */
  Series frame;     /* change → next frame painted */
  Series wait;      /* refreshed → the frame's before-paint */
  Series layout;    /* before-paint → layout done */
  Series paint;     /* layout done → painted */
} Change;

static Change
change_new (const char *refresh, const char *frame)
{
  return (Change) { series_new (refresh), series_new (frame), series_new ("  of which refreshed → frame began, ms"),
                    series_new ("  of which frame began → layout signal, ms"),
                    series_new ("  of which layout signal → painted, ms") };
}

static void
change_report (Change *c)
{
  table_row (&c->refresh, &c->refresh.p99, "p99", FRAME_MS, "ms");
  table_row (&c->frame, &c->frame.p99, "p99", 2 * FRAME_MS, "ms");
  table_row (&c->wait, NULL, NULL, 0, NULL);
  table_row (&c->layout, NULL, NULL, 0, NULL);
  table_row (&c->paint, NULL, NULL, 0, NULL);
}

static void
change_clear (Change *c)
{
  series_clear (&c->refresh);
  series_clear (&c->frame);
  series_clear (&c->wait);
  series_clear (&c->layout);
  series_clear (&c->paint);
}

/* Tell the window that records changed, as every action does: the refresh, and the frame. */
static void
time_change (Ui *ui, Change *c)
{
  gint64 t0, refreshed, painted;

  settle (30);   /* an idle frame clock: each sample starts from a quiet counter */
  ui->painted = ui->began = ui->laid_out = 0;
  t0 = g_get_monotonic_time ();
  dc_session_changed (ui->session);
  refreshed = g_get_monotonic_time ();
  painted = wait_for_paint (ui);
  series_add (&c->refresh, (refreshed - t0) / 1000.0);
  series_add (&c->frame, (painted - t0) / 1000.0);
  series_add (&c->wait, (MAX (ui->began, refreshed) - refreshed) / 1000.0);
  series_add (&c->layout, (ui->laid_out - MAX (ui->began, refreshed)) / 1000.0);
  series_add (&c->paint, (painted - ui->laid_out) / 1000.0);
}

static void
load_style (void)
{
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

  /* AdwApplication would load it; the bench has no application */
  gtk_css_provider_load_from_resource (css, "/jp/daicho/Daicho/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static Ui
open_counter (const char *store_dir, gint64 *clock)
{
  Ui ui = { 0 };
  GError *error = NULL;
  DcStore *store = dc_store_open (store_dir, &error);

  if (store == NULL)
    die ("open the store", error);
  dc_store_set_clock (store, read_clock, clock);
  ui.window = dc_window_new (NULL, store_dir, store);
  ui.session = dc_window_get_session (ui.window);
  gtk_window_present (GTK_WINDOW (ui.window));
  settle (300);
  if (!dc_session_sign_in (ui.session, BENCH_CLERK, BENCH_PIN, &error))
    die ("sign in", error);
  settle (600);   /* past the page's cross-fade */
  if (g_strcmp0 (dc_window_get_page (ui.window), "counter") != 0)
    die ("the counter page is not showing after sign-in", NULL);
  return ui;
}

static void
bench_updates (const char *store_dir, gint64 *clock, guint n_updates)
{
  Ui ui = open_counter (store_dir, clock);
  GskRenderer *renderer = gtk_native_get_renderer (GTK_NATIVE (ui.window));
  Series store_in = series_new ("dc_checkin (app/, for context), ms");
  Series redraw = series_new ("baseline: a frame with nothing new, ms");
  Change in = change_new ("check-in: dc_session_changed → refreshed, ms", "check-in: change → next frame painted, ms");
  Change out = change_new ("check-out: dc_session_changed → refreshed, ms",
                           "check-out: change → next frame painted, ms");
  GdkFrameClock *frames = gtk_widget_get_frame_clock (GTK_WIDGET (ui.window));
  GError *error = NULL;

  g_signal_connect (frames, "before-paint", G_CALLBACK (on_before_paint), &ui);
  g_signal_connect (frames, "layout", G_CALLBACK (on_layout), &ui);
  g_signal_connect (frames, "after-paint", G_CALLBACK (on_after_paint), &ui);
  g_print ("  in-process: %u check-outs and check-ins on the full board, window %d×%d, renderer %s\n", n_updates,
           gtk_widget_get_width (GTK_WIDGET (ui.window)), gtk_widget_get_height (GTK_WIDGET (ui.window)),
           G_OBJECT_TYPE_NAME (renderer));
  for (guint k = 0; k < n_updates; k++)
    {
      /* terminals all over the board, most of them scrolled out of sight, as at a real counter */
      g_autofree char *label = terminal_label (k * 37 % N_TERMINALS + 1);
      gint64 t0;

      *clock += G_USEC_PER_SEC;
      if (!dc_checkout (dc_session_get_store (ui.session), dc_session_get_actor (ui.session), label, 0, DC_EXIT_STAFF,
                        &error))
        die ("check out", error);
      time_change (&ui, &out);

      *clock += G_USEC_PER_SEC;
      t0 = g_get_monotonic_time ();
      checkin (dc_session_get_store (ui.session), dc_session_get_actor (ui.session), N_TERMINALS + k, FALSE, label);
      series_add (&store_in, ms_since (t0));
      time_change (&ui, &in);
    }

  /* the floor, in the same run: a frame asked for with nothing new to show (the window's
   * render nodes are redone, its pixels stay), which shows this host's frame clock and its
   * hiccups */
  for (guint k = 0; k < n_updates; k++)
    {
      gint64 t0;

      settle (30);
      ui.painted = 0;
      t0 = g_get_monotonic_time ();
      gtk_widget_queue_draw (GTK_WIDGET (ui.window));
      series_add (&redraw, (wait_for_paint (&ui) - t0) / 1000.0);
    }

  table_header ("p50");
  change_report (&in);
  change_report (&out);
  table_row (&store_in, NULL, NULL, 0, NULL);
  table_row (&redraw, NULL, NULL, 0, NULL);
  g_print ("  (next frame: the change waits up to one %.1f ms frame for the clock's tick, then that frame shows it)\n",
           FRAME_MS);

  g_signal_handlers_disconnect_by_data (frames, &ui);
  gtk_window_destroy (GTK_WINDOW (ui.window));
  settle (50);
  series_clear (&store_in);
  series_clear (&redraw);
  change_clear (&in);
  change_clear (&out);
}

/* Timings grow with whatever else runs: say how busy the machine was. */
static void
print_load (void)
{
  g_autofree char *text = NULL;

  if (g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    g_print ("  machine: %u CPUs, load average %.*s\n", g_get_num_processors (), (int) strcspn (text, " "), text);
}

static char *
default_daicho (const char *argv0)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = g_path_get_dirname (self != NULL ? self : argv0);
  g_autofree char *path = g_build_filename (dir, "..", "..", "ui", "desktop", "daicho", NULL);

  return g_canonicalize_filename (path, NULL);
}

int
main (int argc, char **argv)
{
  gint runs = 10, updates = 50;
  gboolean keep = FALSE;
  g_autofree char *daicho = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *store_dir = NULL;
  GOptionEntry entries[] = {
    { "daicho", 0, 0, G_OPTION_ARG_FILENAME, &daicho, "The program to start (../../ui/desktop/daicho)", "PATH" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Starts of the program, 0 for none (10)", "N" },
    { "updates", 0, 0, G_OPTION_ARG_INT, &updates, "Check-outs and check-ins timed in-process, 0 for none (50)", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &parent, "Where to make the temporary store (the temp dir)", "DIR" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the store afterwards (to profile the program on it)", NULL },
    { "store", 0, 0, G_OPTION_ARG_FILENAME, &store_dir, "Use a store kept by --keep instead of building one", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the counter app: start, memory, a check-in's frame");
  g_autofree char *template = NULL;
  g_autofree char *dir = NULL;
  GError *error = NULL;
  gint64 clock = tokyo (2026, 11, 21, 16, 0);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs < 0 || updates < 0)
    die ("usage", error);
  if (daicho == NULL)
    daicho = default_daicho (argv[0]);
  if (runs > 0 && !g_file_test (daicho, G_FILE_TEST_IS_EXECUTABLE))
    die (daicho, NULL);

  /* a Tokyo counter, in Japanese; the spawned program inherits all of it */
  g_setenv ("TZ", "Asia/Tokyo", TRUE);
  g_setenv ("LC_ALL", "ja_JP.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "ja", TRUE);
  setlocale (LC_ALL, "");
  /* the renderer the app itself picks, unless the caller set one: the figures are the app's */
  dc_application_choose_renderer ();
  dc_crypto_init ();

  if (store_dir == NULL)
    {
      template = g_build_filename (parent != NULL ? parent : g_get_tmp_dir (), "daicho-bench-desktop-XXXXXX", NULL);
      dir = g_mkdtemp (g_steal_pointer (&template));
      if (dir == NULL)
        die ("make a temporary directory", NULL);
      store_dir = g_build_filename (dir, "store", NULL);
      g_print ("Counter app benchmark in %s\n", dir);
      build_store (store_dir, &clock);
    }
  else
    {
      /* its records end at some bench time: later check-outs must not end before them */
      clock = MAX (clock, g_get_real_time ());
      g_print ("Counter app benchmark on %s\n", store_dir);
    }

  print_load ();
  if (runs > 0)
    bench_program (daicho, store_dir, (guint) runs);
  if (updates > 0)
    {
      gtk_init ();
      adw_init ();
      load_style ();
      bench_updates (store_dir, &clock, (guint) updates);
    }

  if (dir != NULL && keep)
    g_print ("  kept: %s (clerk \"%s\", PIN %s)\n", store_dir, BENCH_CLERK, BENCH_PIN);
  else if (dir != NULL)
    rm_rf (dir);
  return 0;
}
