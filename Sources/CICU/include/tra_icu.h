// tra_icu.h: the thin C boundary between tra and the system ICU (libicu).
//
// ICU's C API is a set of macros that rename every entry point with the library's major version
// (`ubrk_open` becomes `ubrk_open_72`), which Swift cannot import. This header declares plain C
// functions with ICU-free types; tra_icu.c includes the ICU headers and forwards to them.
// Strings are UTF-16 code units (`uint16_t`, ICU's UChar); `status` receives ICU's UErrorCode
// (0 is success, negative values are warnings, positive values are errors).
#ifndef TRA_ICU_H
#define TRA_ICU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Opaque handle to an ICU word break iterator (UBreakIterator, root locale).
typedef struct TraWordBreaker TraWordBreaker;

/// Opens a word break iterator (UAX #29 rules, root locale). Returns NULL and sets `status` on failure.
TraWordBreaker *_Nullable tra_wb_open(int32_t *_Nonnull status);
/// Releases a word break iterator. Accepts NULL.
void tra_wb_close(TraWordBreaker *_Nullable wb);
/// Points the iterator at `text` (not copied: it must outlive the iteration) and resets it.
void tra_wb_set_text(TraWordBreaker *_Nonnull wb, const uint16_t *_Nonnull text, int32_t length,
                     int32_t *_Nonnull status);
/// The next boundary after the current one, or -1 at the end of the text.
int32_t tra_wb_next(TraWordBreaker *_Nonnull wb);
/// The rule status of the segment that ends at the current boundary (ICU UWordBreak values:
/// 0-99 none/punctuation/space, 100-199 number, 200-299 letter, 300-399 kana, 400-499 ideographic).
int32_t tra_wb_rule_status(TraWordBreaker *_Nonnull wb);

/// NFC normalization. Returns the length needed; writes at most `capacity` units.
int32_t tra_nfc(const uint16_t *_Nonnull src, int32_t length, uint16_t *_Nullable dst, int32_t capacity,
                int32_t *_Nonnull status);
/// NFD normalization. Returns the length needed; writes at most `capacity` units.
int32_t tra_nfd(const uint16_t *_Nonnull src, int32_t length, uint16_t *_Nullable dst, int32_t capacity,
                int32_t *_Nonnull status);
/// Full lower-case mapping, root locale. Returns the length needed; writes at most `capacity` units.
int32_t tra_to_lower(const uint16_t *_Nonnull src, int32_t length, uint16_t *_Nullable dst, int32_t capacity,
                     int32_t *_Nonnull status);
/// The general category of a code point (ICU UCharCategory; 6 is U_NON_SPACING_MARK).
int32_t tra_char_type(int32_t codePoint);
/// Whether the code point has the White_Space property.
int32_t tra_is_white_space(int32_t codePoint);
/// A NUL-terminated name for an ICU error code, such as "U_ILLEGAL_ARGUMENT_ERROR".
const char *_Nonnull tra_error_name(int32_t status);
/// The version of the ICU library in use, as "72.1".
void tra_icu_version(char *_Nonnull buffer, int32_t capacity);

#ifdef __cplusplus
}
#endif

#endif
