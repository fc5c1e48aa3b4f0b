/* app/dc-normalize.h — the one normaliser under every blind index (design.md §4). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The normalisation under every blind index (design.md §4): NFKC, no white space of any
 * width, hiragana folded to katakana, half-width kana widened, Latin case-folded, common
 * variant kanji folded (髙→高, 﨑→崎, 齋/齊→斎, 邊/邉→辺, 澤→沢, 濱→浜, 德→徳, 廣→広, 櫻→桜 …).
 * Newly allocated; "" for NULL. */
char *dc_normalize_name (const char *text);

/* Document numbers: NFKC, upper case, no white space or hyphens. */
char *dc_normalize_number (const char *text);

/* NFKC of valid UTF-8 (invalid bytes replaced); never NULL. Newly allocated. */
char    *dc_normalize_nfkc (const char *text);

/* @text without white space of any width around it (the ideographic space U+3000 a
 * Japanese keyboard types included); "" for NULL; text that is not valid UTF-8 is copied
 * whole, for the caller's own check to refuse. Newly allocated. */
char    *dc_normalize_trim (const char *text);

/* White space, invisible format characters and the dashes cards and input methods use. */
gboolean dc_normalize_is_number_separator (gunichar c);

G_END_DECLS
