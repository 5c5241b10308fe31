// tra_icu.c: forwards tra's plain C functions to ICU's versioned entry points.
#include "tra_icu.h"

#include <stdio.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/uversion.h>

TraWordBreaker *tra_wb_open(int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "", NULL, 0, &code);
    *status = (int32_t)code;
    if (U_FAILURE(code)) {
        return NULL;
    }
    return (TraWordBreaker *)bi;
}

void tra_wb_close(TraWordBreaker *wb) {
    if (wb != NULL) {
        ubrk_close((UBreakIterator *)wb);
    }
}

void tra_wb_set_text(TraWordBreaker *wb, const uint16_t *text, int32_t length, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    ubrk_setText((UBreakIterator *)wb, (const UChar *)text, length, &code);
    *status = (int32_t)code;
}

int32_t tra_wb_next(TraWordBreaker *wb) {
    int32_t boundary = ubrk_next((UBreakIterator *)wb);
    return boundary == UBRK_DONE ? -1 : boundary;
}

int32_t tra_wb_rule_status(TraWordBreaker *wb) { return ubrk_getRuleStatus((UBreakIterator *)wb); }

static int32_t normalize(const UNormalizer2 *norm, UErrorCode code, const uint16_t *src, int32_t length,
                         uint16_t *dst, int32_t capacity, int32_t *status) {
    if (U_FAILURE(code)) {
        *status = (int32_t)code;
        return 0;
    }
    int32_t needed = unorm2_normalize(norm, (const UChar *)src, length, (UChar *)dst, capacity, &code);
    *status = (int32_t)code;
    return needed;
}

int32_t tra_nfc(const uint16_t *src, int32_t length, uint16_t *dst, int32_t capacity, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    const UNormalizer2 *norm = unorm2_getNFCInstance(&code);
    return normalize(norm, code, src, length, dst, capacity, status);
}

int32_t tra_nfd(const uint16_t *src, int32_t length, uint16_t *dst, int32_t capacity, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    const UNormalizer2 *norm = unorm2_getNFDInstance(&code);
    return normalize(norm, code, src, length, dst, capacity, status);
}

int32_t tra_to_lower(const uint16_t *src, int32_t length, uint16_t *dst, int32_t capacity, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    int32_t needed = u_strToLower((UChar *)dst, capacity, (const UChar *)src, length, "", &code);
    *status = (int32_t)code;
    return needed;
}

int32_t tra_char_type(int32_t codePoint) { return (int32_t)u_charType((UChar32)codePoint); }

int32_t tra_is_white_space(int32_t codePoint) { return u_isUWhiteSpace((UChar32)codePoint) ? 1 : 0; }

const char *tra_error_name(int32_t status) { return u_errorName((UErrorCode)status); }

void tra_icu_version(char *buffer, int32_t capacity) {
    UVersionInfo info;
    u_getVersion(info);
    snprintf(buffer, (size_t)capacity, "%d.%d", info[0], info[1]);
}
