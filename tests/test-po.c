/* tests/test-po.c — the Japanese catalogue is valid, complete, covers every source string and is what daicho-ctl speaks. */
#include <glib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

/* The folders whose .c files may hold user-visible strings (as in build-aux/update-po.sh). */
static const char *const source_dirs[] = { "app", "db", "reports", "ui" };

/* Keep in step with build-aux/update-po.sh: the same keywords and flags as meson's 'glib' preset. */
static const char *const xgettext_args[] = {
  "xgettext", "--package-name=daicho", "--from-code=UTF-8", "--sort-by-file", "--no-wrap",
  "--add-comments=Translators",
  "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
  "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
  "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
  "--flag=g_strdup_printf:1:c-format", "--flag=g_string_printf:2:c-format",
  "--flag=g_string_append_printf:2:c-format", "--flag=g_error_new:3:c-format",
  "--flag=g_set_error:4:c-format", "--flag=g_prefix_error:2:c-format",
  "--flag=g_print:1:c-format", "--flag=g_printerr:1:c-format",
  "--flag=g_fprintf:2:c-format", "--flag=g_snprintf:3:c-format",
  "--files-from=po/POTFILES.in",
};

static const char *
srcdir (void)
{
  const char *dir = g_getenv ("DAICHO_SRCDIR");

  g_assert_nonnull (dir);
  return dir;
}

static char *
ja_po_path (void)
{
  return g_build_filename (srcdir (), "po", "ja.po", NULL);
}

/* The gettext tools are build requirements, but a bare machine should skip, not crash. */
static gboolean
have_tool (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  if (path == NULL)
    {
      g_autofree char *why = g_strdup_printf ("%s is not installed", name);
      g_test_skip (why);
      return FALSE;
    }
  return TRUE;
}

/* Runs @argv from the source root; returns whether it exited 0. */
static gboolean
run (const char *const *argv, char **envp, char **out, char **err)
{
  g_autoptr(GError) error = NULL;
  gint status = 0;

  g_spawn_sync (srcdir (), (char **) argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  return g_spawn_check_wait_status (status, NULL);
}

/* ---- po/POTFILES.in ---- */

static GPtrArray *
read_potfiles (void)
{
  g_autofree char *path = g_build_filename (srcdir (), "po", "POTFILES.in", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);

      if (*line != '\0' && *line != '#')
        g_ptr_array_add (files, g_strdup (line));
    }
  return files;
}

static gboolean
marks_strings (const char *path, GRegex *mark)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return g_regex_match (mark, text, 0, NULL);
}

/* Adds to @found every .c file under @rel (relative to the source root) that marks a string. */
static void
collect_marked (const char *rel, GRegex *mark, GPtrArray *found)
{
  g_autofree char *dir_path = g_build_filename (srcdir (), rel, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;  /* a layer that has no code yet */
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_strconcat (rel, "/", name, NULL);
      g_autofree char *full = g_build_filename (srcdir (), child, NULL);

      if (name[0] == '.')
        continue;
      if (g_file_test (full, G_FILE_TEST_IS_DIR))
        collect_marked (child, mark, found);
      else if (g_str_has_suffix (name, ".c") && marks_strings (full, mark))
        g_ptr_array_add (found, g_steal_pointer (&child));
    }
}

static gboolean
listed (GPtrArray *files, const char *file)
{
  for (guint i = 0; i < files->len; i++)
    if (g_str_equal (g_ptr_array_index (files, i), file))
      return TRUE;
  return FALSE;
}

static void
test_potfiles_complete (void)
{
  g_autoptr(GRegex) mark = g_regex_new ("(^|[^A-Za-z0-9_])N?_\\s*\\(", G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GPtrArray) files = read_potfiles ();
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) missing = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (source_dirs); i++)
    collect_marked (source_dirs[i], mark, found);
  /* the walk must see the code, or this test proves nothing */
  g_assert_true (listed (found, "db/dc-db.c"));
  for (guint i = 0; i < found->len; i++)
    if (!listed (files, g_ptr_array_index (found, i)))
      g_string_append_printf (missing, " %s", (char *) g_ptr_array_index (found, i));
  if (missing->len > 0)
    g_test_fail_printf ("po/POTFILES.in lacks files that contain _( or N_(:%s", missing->str);
}

static void
test_potfiles_sorted (void)
{
  g_autoptr(GPtrArray) files = read_potfiles ();

  g_assert_cmpuint (files->len, >, 0);
  for (guint i = 0; i < files->len; i++)
    {
      const char *file = g_ptr_array_index (files, i);
      g_autofree char *full = g_build_filename (srcdir (), file, NULL);

      if (!g_file_test (full, G_FILE_TEST_IS_REGULAR))
        g_test_fail_printf ("po/POTFILES.in lists %s, which does not exist", file);
      if (i > 0 && strcmp (g_ptr_array_index (files, i - 1), file) >= 0)
        g_test_fail_printf ("po/POTFILES.in is not sorted (or repeats a line) at %s", file);
    }
}

/* ---- po/ja.po itself ---- */

static void
test_ja_msgfmt (void)
{
  g_autofree char *po = ja_po_path ();
  const char *argv[] = { "msgfmt", "--check", "--statistics", "-o", "/dev/null", po, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gboolean ok;

  if (!have_tool ("msgfmt"))
    return;
  ok = run (argv, NULL, &out, &err);
  g_test_message ("msgfmt: %s", err);
  g_assert_true (ok);
  g_assert_nonnull (strstr (err, " translated message"));
  g_assert_null (strstr (err, "fuzzy"));
  g_assert_null (strstr (err, "untranslated"));
  /* --check also judges the header: a warning means a field is missing or left at its default */
  g_assert_null (strstr (err, "warning"));
}

static void
test_ja_header (void)
{
  static const char *const fields[] = {
    "\"Project-Id-Version: daicho\\n\"",
    "\"Language: ja\\n\"",
    "\"Content-Type: text/plain; charset=UTF-8\\n\"",
    "\"Plural-Forms: nplurals=1; plural=0;\\n\"",
  };
  g_autofree char *po = ja_po_path ();
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (po, &text, NULL, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    if (strstr (text, fields[i]) == NULL)
      g_test_fail_printf ("po/ja.po header lacks %s", fields[i]);
}

/* One live (not obsolete) entry: the quoted text of its msgid and msgstr, escapes kept. */
typedef struct
{
  GString *id;
  GString *str;
  GString *current;
} PoEntry;

/* Returns whether @e was a translated entry. */
static gboolean
check_style (const PoEntry *e, GString *bad)
{
  const char *id = e->id->str;
  const char *str = e->str->str;
  gsize id_len = e->id->len, str_len = e->str->len;

  if (id_len == 0 || str_len == 0)
    return FALSE;  /* header, or untranslated: msgfmt's business */
  if (strstr (str, "“") != NULL || strstr (str, "”") != NULL)
    g_string_append_printf (bad, "\n  uses “” instead of 「」: %s", str);
  /* a sentence ends in 。, not in an English full stop (ignoring a final \n) */
  if (g_str_has_suffix (id, "\\n") && g_str_has_suffix (str, "\\n"))
    id_len -= 2, str_len -= 2;
  if (id_len > 0 && str_len > 0 && id[id_len - 1] == '.' && str[str_len - 1] == '.')
    g_string_append_printf (bad, "\n  ends a sentence with “.”, not “。”: %s", str);
  return TRUE;
}

static void
test_ja_style (void)
{
  g_autofree char *po = ja_po_path ();
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) bad = g_string_new (NULL);
  PoEntry e = { g_string_new (NULL), g_string_new (NULL), NULL };
  guint entries = 0;

  g_file_get_contents (po, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      const char *quote = strchr (line, '"');

      if (g_str_has_prefix (line, "msgid "))
        {
          entries += check_style (&e, bad);
          g_string_truncate (e.id, 0);
          g_string_truncate (e.str, 0);
          e.current = e.id;
        }
      else if (g_str_has_prefix (line, "msgstr"))
        e.current = e.str;
      else if (line[0] != '"')
        {
          e.current = NULL;  /* a comment, a context, or an obsolete #~ entry */
          continue;
        }
      if (e.current != NULL && quote != NULL && g_str_has_suffix (quote + 1, "\""))
        g_string_append_len (e.current, quote + 1, strlen (quote + 1) - 1);
    }
  entries += check_style (&e, bad);
  g_string_free (e.id, TRUE);
  g_string_free (e.str, TRUE);
  /* the parser must have read the catalogue, or the rules were never applied */
  g_assert_cmpuint (entries, >, 100);
  if (bad->len > 0)
    g_test_fail_printf ("po/ja.po:%s", bad->str);
}

/* ---- po/ja.po against the sources ---- */

/* Extracts the strings of the files in POTFILES.in into a template in a fresh temporary folder. */
static char *
make_pot (char **tmp_dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  g_autofree char *out_arg = NULL;
  g_autofree char *err = NULL;
  char *pot;
  gboolean ok;

  *tmp_dir = g_dir_make_tmp ("daicho-po-XXXXXX", &error);
  g_assert_no_error (error);
  pot = g_build_filename (*tmp_dir, "daicho.pot", NULL);
  out_arg = g_strconcat ("--output=", pot, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (xgettext_args); i++)
    g_strv_builder_add (builder, xgettext_args[i]);
  g_strv_builder_add (builder, out_arg);
  argv = g_strv_builder_end (builder);
  ok = run ((const char *const *) argv, NULL, NULL, &err);
  if (!ok)
    g_test_message ("xgettext: %s", err);
  g_assert_true (ok);
  return pot;
}

static void
remove_pot (char *tmp_dir, char *pot)
{
  g_assert_cmpint (g_remove (pot), ==, 0);
  g_assert_cmpint (g_rmdir (tmp_dir), ==, 0);
  g_free (pot);
  g_free (tmp_dir);
}

static void
test_ja_covers_sources (void)
{
  g_autofree char *po = ja_po_path ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  char *tmp_dir, *pot;
  gboolean ok;

  if (!have_tool ("xgettext") || !have_tool ("msgcmp"))
    return;
  pot = make_pot (&tmp_dir);
  {
    const char *argv[] = { "msgcmp", po, pot, NULL };

    ok = run (argv, NULL, &out, &err);
  }
  remove_pot (tmp_dir, pot);
  if (!ok)
    g_test_fail_printf ("po/ja.po lacks translations; run build-aux/update-po.sh and translate:\n%s", err);
}

/* A format macro such as G_GINT64_FORMAT stops xgettext in mid-string: the catalogue then holds
 * "Visit #%" while the program asks for "Visit #%ld…", and the message stays English. */
static void
test_sources_no_cut_strings (void)
{
  g_autoptr(GString) cut = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  const char *where = "";
  char *tmp_dir, *pot;

  if (!have_tool ("xgettext"))
    return;
  pot = make_pot (&tmp_dir);
  g_file_get_contents (pot, &text, NULL, &error);
  g_assert_no_error (error);
  remove_pot (tmp_dir, pot);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];
      gsize len = strlen (line), percents = 0;

      if (g_str_has_prefix (line, "#: "))
        where = line + 3;
      if (!g_str_has_prefix (line, "msgid \"") || len < 8 || line[len - 1] != '"')
        continue;
      while (len - 2 - percents > 6 && line[len - 2 - percents] == '%')
        percents++;
      if (percents % 2 == 1)
        g_string_append_printf (cut, "\n  %s (%s)", line, where);
    }
  if (cut->len > 0)
    g_test_fail_printf ("strings cut short by a format macro (use PRId64/PRIu64 from <inttypes.h> "
                        "in translatable strings):%s", cut->str);
}

/* ---- the catalogue at run time ---- */

typedef struct
{
  const char *name;
  const char *args[4];
  gboolean on_stderr;
  const char *english;  /* must be gone from the output */
} CliCase;

static const CliCase cli_cases[] = {
  { "missing store", { "status", "--store", "/nonexistent", NULL }, TRUE, "There is no Daicho store" },
  { "usage", { "help", NULL }, FALSE, "Usage: daicho-ctl" },
};

static gboolean
has_non_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return TRUE;
  return FALSE;
}

/* Whether glibc has the Japanese locale: without it gettext ignores LANGUAGE. */
static gboolean
have_ja_locale (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));
  gboolean ok = setlocale (LC_ALL, "ja_JP.UTF-8") != NULL;

  setlocale (LC_ALL, saved);
  return ok;
}

static void
test_cli_speaks_japanese (void)
{
  const char *ctl = g_getenv ("DAICHO_CTL");
  const char *localedir = g_getenv ("DAICHO_LOCALEDIR");
  g_autofree char *mo = NULL;
  g_auto(GStrv) envp = g_get_environ ();

  g_assert_nonnull (ctl);
  g_assert_nonnull (localedir);
  if (!have_ja_locale ())
    {
      g_test_skip ("the ja_JP.UTF-8 locale is not installed");
      return;
    }
  mo = g_build_filename (localedir, "ja", "LC_MESSAGES", "daicho.mo", NULL);
  if (!g_file_test (mo, G_FILE_TEST_IS_REGULAR))
    {
      g_test_fail_printf ("%s was not built (ninja builds it with the po target)", mo);
      return;
    }
  envp = g_environ_setenv (envp, "LANGUAGE", "ja", TRUE);
  envp = g_environ_setenv (envp, "LC_ALL", "ja_JP.UTF-8", TRUE);
  envp = g_environ_setenv (envp, "DAICHO_LOCALEDIR", localedir, TRUE);
  envp = g_environ_unsetenv (envp, "DAICHO_STORE");

  for (gsize i = 0; i < G_N_ELEMENTS (cli_cases); i++)
    {
      const CliCase *c = &cli_cases[i];
      const char *argv[6] = { ctl, NULL };
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      const char *text;

      for (gsize j = 0; c->args[j] != NULL; j++)
        argv[j + 1] = c->args[j];
      run (argv, envp, &out, &err);
      text = c->on_stderr ? err : out;
      g_test_message ("%s: %s", c->name, text);
      g_assert_true (g_utf8_validate (text, -1, NULL));
      g_assert_true (has_non_ascii (text));
      g_assert_null (strstr (text, c->english));
      if (c->on_stderr)
        g_assert_nonnull (strstr (text, "/nonexistent"));
    }
}

int
main (int argc, char **argv)
{
  /* only so that g_test_message shows the Japanese output instead of question marks */
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/po/potfiles/complete", test_potfiles_complete);
  g_test_add_func ("/po/potfiles/sorted", test_potfiles_sorted);
  g_test_add_func ("/po/ja/msgfmt", test_ja_msgfmt);
  g_test_add_func ("/po/ja/header", test_ja_header);
  g_test_add_func ("/po/ja/style", test_ja_style);
  g_test_add_func ("/po/ja/covers-sources", test_ja_covers_sources);
  g_test_add_func ("/po/sources/no-cut-strings", test_sources_no_cut_strings);
  g_test_add_func ("/po/ja/cli", test_cli_speaks_japanese);
  return g_test_run ();
}
