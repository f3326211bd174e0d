/* Unit tests for retain/money.h: exact, locale-free parsing and formatting
 * of money amounts in millionths of a unit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <retain/money.h>

static const char *err_name(retain_money_error e)
{
    switch (e) {
    case RETAIN_MONEY_OK:
        return "OK";
    case RETAIN_MONEY_EMPTY:
        return "EMPTY";
    case RETAIN_MONEY_SYNTAX:
        return "SYNTAX";
    case RETAIN_MONEY_DECIMAL_COMMA:
        return "DECIMAL_COMMA";
    case RETAIN_MONEY_DECIMAL_POINT:
        return "DECIMAL_POINT";
    case RETAIN_MONEY_RANGE:
        return "RANGE";
    }
    return "?";
}

static void check_ok(const char *text, char decimal, retain_money expect)
{
    retain_money got = -7;
    retain_money_error e = retain_money_parse(text, strlen(text), decimal, &got);
    if (e != RETAIN_MONEY_OK)
        fail_msg("\"%s\" (decimal '%c'): %s, expected %lld", text, decimal, err_name(e),
                 (long long)expect);
    if (got != expect)
        fail_msg("\"%s\" (decimal '%c'): %lld, expected %lld", text, decimal, (long long)got,
                 (long long)expect);
}

static void check_err(const char *text, char decimal, retain_money_error expect)
{
    retain_money got = 0;
    retain_money_error e = retain_money_parse(text, strlen(text), decimal, &got);
    if (e != expect)
        fail_msg("\"%s\" (decimal '%c'): %s (%lld), expected %s", text, decimal, err_name(e),
                 (long long)got, err_name(expect));
}

/* ---- parsing, decimal point ------------------------------------------ */

static void test_parse_plain(void **state)
{
    (void)state;
    check_ok("1234.5", '.', 1234500000);
    check_ok("1234.50", '.', 1234500000);
    check_ok("1234", '.', 1234000000);
    check_ok("0", '.', 0);
    check_ok("0.01", '.', 10000);
    check_ok(".5", '.', 500000);
    check_ok("5.", '.', 5000000);
    check_ok("+3", '.', 3000000);
    check_ok("-12", '.', -12000000);
    check_ok("-0.000001", '.', -1);
    check_ok("0.123456", '.', 123456);
    check_ok("  42.10  ", '.', 42100000);
    /* decimal 0 means '.', like the reader's option */
    check_ok("1,234.5", 0, 1234500000);
}

static void test_parse_grouping_and_currency(void **state)
{
    (void)state;
    check_ok("1,234.50", '.', 1234500000);
    check_ok("$1,234.50", '.', 1234500000);
    check_ok("1234.50 EUR", '.', 1234500000);
    check_ok("EUR 1234.50", '.', 1234500000);
    check_ok("EUR1234.50", '.', 1234500000);
    check_ok("1,234,567.89", '.', 1234567890000);
    check_ok("1 234 567.89", '.', 1234567890000);
    check_ok("1'234.50", '.', 1234500000);
    check_ok("-$12.00", '.', -12000000);
    check_ok("$-12.00", '.', -12000000);
    check_ok("\xc2\xa3"
             "99.99",
             '.', 99990000);                       /* £ */
    check_ok("99.99 \xe2\x82\xac", '.', 99990000); /* € */
    check_ok("\xe2\x82\xb9"
             "1,234",
             '.', 1234000000); /* ₹ */
    check_ok("1,234", '.', 1234000000);
}

static void test_parse_accounting_negative(void **state)
{
    (void)state;
    check_ok("(12.00)", '.', -12000000);
    check_ok("(1,234.50)", '.', -1234500000);
    check_ok("($5)", '.', -5000000);
    check_ok("(12,50)", ',', -12500000);
}

/* Issue 16: --5, (-5) and -5- were read as 5.00 (two signs cancelled). */
static void test_parse_one_sign_in_one_place(void **state)
{
    (void)state;
    check_ok("-5", '.', -5000000);
    check_ok("+5", '.', 5000000);
    check_ok("5-", '.', -5000000);
    check_ok("$-5", '.', -5000000);
    check_ok("-$5", '.', -5000000);
    check_ok("- 5", '.', -5000000);
    check_ok("\xE2\x88\x92"
             "5",
             '.', -5000000);
    const char *bad[] = {"--5",  "(-5)", "-5-",  "+-5", "-+5", "(5)-",    "(+5)",
                         "$--5", "-$-5", "- -5", "++5", "5--", "-5 EUR-", "\xE2\x88\x92-5"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        check_err(bad[i], '.', RETAIN_MONEY_SYNTAX);
}

/* ---- parsing, decimal comma ------------------------------------------ */

static void test_parse_decimal_comma(void **state)
{
    (void)state;
    check_ok("1 234,50", ',', 1234500000);
    check_ok("1\xc2\xa0"
             "234,50",
             ',', 1234500000); /* U+00A0 */
    check_ok("1\xe2\x80\xaf"
             "234,50",
             ',', 1234500000); /* U+202F */
    check_ok("1\xc2\xa0"
             "234,50\xc2\xa0\xe2\x82\xac",
             ',', 1234500000);
    check_ok("1 234,50 EUR", ',', 1234500000);
    check_ok("1.234,50", ',', 1234500000);
    check_ok("1.234.567,5", ',', 1234567500000);
    check_ok("12,5", ',', 12500000);
    check_ok("-12,5", ',', -12500000);
    check_ok(",5", ',', 500000);
    check_ok("1234", ',', 1234000000);
    check_ok("1,234", ',', 1234000); /* 1.234 with a decimal comma */
}

static void test_parse_wrong_decimal_hints(void **state)
{
    (void)state;
    /* a decimal comma read with '.': the contract's "use ','" */
    check_err("12,5", '.', RETAIN_MONEY_DECIMAL_COMMA);
    check_err("12,50", '.', RETAIN_MONEY_DECIMAL_COMMA);
    check_err("1 234,50", '.', RETAIN_MONEY_DECIMAL_COMMA);
    /* a decimal point read with ',': "use '.'" */
    check_err("12.5", ',', RETAIN_MONEY_DECIMAL_POINT);
    check_err("12.50", ',', RETAIN_MONEY_DECIMAL_POINT);
    check_err("1 234.50", ',', RETAIN_MONEY_DECIMAL_POINT);
}

static void test_parse_rejects(void **state)
{
    (void)state;
    check_err("1,23,456", '.', RETAIN_MONEY_SYNTAX); /* groups of exactly three */
    check_err("1,2345.00", '.', RETAIN_MONEY_SYNTAX);
    check_err("1234,567.00", '.', RETAIN_MONEY_SYNTAX);
    check_err(",123.00", '.', RETAIN_MONEY_SYNTAX);
    check_err("abc", '.', RETAIN_MONEY_SYNTAX);
    check_err("12abcd", '.', RETAIN_MONEY_SYNTAX);  /* four letters: not a code */
    check_err("12 EURO", '.', RETAIN_MONEY_SYNTAX); /* a code has up to three letters */
    check_err("1.2.3", '.', RETAIN_MONEY_SYNTAX);
    check_err("12..5", '.', RETAIN_MONEY_SYNTAX);
    check_err("-", '.', RETAIN_MONEY_SYNTAX);
    check_err(".", '.', RETAIN_MONEY_SYNTAX);
    check_err("$", '.', RETAIN_MONEY_SYNTAX);
    check_err("1e5", '.', RETAIN_MONEY_SYNTAX);
    check_err("0x10", '.', RETAIN_MONEY_SYNTAX);
    check_err("", '.', RETAIN_MONEY_EMPTY);
    check_err("   ", '.', RETAIN_MONEY_EMPTY);
    check_err("\xc2\xa0", ',', RETAIN_MONEY_EMPTY);
}

static void test_parse_uses_len(void **state)
{
    (void)state;
    retain_money m = 0;
    assert_int_equal(retain_money_parse("12.345", 4, '.', &m), RETAIN_MONEY_OK);
    assert_int_equal(m, 12300000);
    assert_int_equal(retain_money_parse("12.3", 0, '.', &m), RETAIN_MONEY_EMPTY);
}

static void test_parse_rounding_seventh_decimal(void **state)
{
    (void)state;
    check_ok("0.0000005", '.', 1);
    check_ok("0.0000004", '.', 0);
    check_ok("0.00000049999", '.', 0);
    check_ok("0.0000015", '.', 2);
    check_ok("-0.0000005", '.', -1); /* half away from zero */
    check_ok("-0.0000004", '.', 0);
    check_ok("1.2345675", '.', 1234568);
    check_ok("-1.2345675", '.', -1234568);
    check_ok("0.9999995", '.', 1000000);
    check_ok("1,234.1234564", '.', 1234123456);
    check_ok("0,0000005", ',', 1);
}

static void test_parse_range(void **state)
{
    (void)state;
    check_ok("9000000000000", '.', INT64_C(9000000000000000000));
    check_ok("-9000000000000", '.', -INT64_C(9000000000000000000));
    check_ok("9,000,000,000,000.00", '.', INT64_C(9000000000000000000));
    check_err("9000000000001", '.', RETAIN_MONEY_RANGE);
    check_err("-9000000000001", '.', RETAIN_MONEY_RANGE);
    check_err("10000000000000", '.', RETAIN_MONEY_RANGE);
    check_err("99999999999999999999999", '.', RETAIN_MONEY_RANGE);
    check_err("123456789012345678901234567890.5", '.', RETAIN_MONEY_RANGE);
}

/* money.h: RETAIN_MONEY_RANGE is "beyond +-9e12": a fraction past 9e12 is
 * beyond it too. */
static void test_parse_range_fraction_past_limit(void **state)
{
    (void)state;
    check_err("9000000000000.5", '.', RETAIN_MONEY_RANGE);
    check_err("-9000000000000.01", '.', RETAIN_MONEY_RANGE);
}

/* ---- formatting ------------------------------------------------------- */

static void check_fmt(retain_money amount, int decimals, const char *expect)
{
    char buf[32];
    memset(buf, 'x', sizeof buf);
    int n = retain_money_format(amount, decimals, buf);
    if (strcmp(buf, expect) != 0)
        fail_msg("format(%lld, %d) = \"%s\", expected \"%s\"", (long long)amount, decimals, buf,
                 expect);
    assert_int_equal(n, (int)strlen(expect));
}

/* Plain amounts (digits, maybe a separator and decimals) take a short
 * path: each reads as the same text with a blank before it, which takes
 * the full one; and so do the neighbours of that form (13 digits, 7
 * decimals, a separator with none after it, the other separator). */
static void test_parse_plain_path_agrees(void **state)
{
    (void)state;
    static const char *const texts[] = {"0",
                                        "7",
                                        "29.00",
                                        "895.5",
                                        "007.25",
                                        "1,5",
                                        "123456789012",
                                        "999999999999.999999",
                                        "1234567890123",
                                        "12.3456789",
                                        "12.",
                                        "1.2345675",
                                        "5,",
                                        ".5",
                                        "12.34.5",
                                        "1a",
                                        "123456.000001"};
    for (int comma = 0; comma < 2; comma++) {
        char decimal = comma ? ',' : '.';
        for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
            char padded[64];
            int n = snprintf(padded, sizeof padded, " %s", texts[i]);
            retain_money a = -1, b = -1;
            retain_money_error ea = retain_money_parse(texts[i], strlen(texts[i]), decimal, &a);
            retain_money_error eb = retain_money_parse(padded, (size_t)n, decimal, &b);
            assert_int_equal(ea, eb);
            if (ea == RETAIN_MONEY_OK)
                assert_true(a == b);
        }
    }
    retain_money v;
    assert_int_equal(retain_money_parse("123456789012.5", 14, '.', &v), RETAIN_MONEY_OK);
    assert_true(v == 123456789012500000LL);
}

static void test_format_decimals(void **state)
{
    (void)state;
    check_fmt(1234500000, 0, "1235"); /* 1234.5 half away from zero */
    check_fmt(1234500000, 1, "1234.5");
    check_fmt(1234500000, 2, "1234.50");
    check_fmt(1234500000, 3, "1234.500");
    check_fmt(1234500000, 6, "1234.500000");
    check_fmt(1234567, 0, "1");
    check_fmt(1234567, 1, "1.2");
    check_fmt(1234567, 2, "1.23");
    check_fmt(1234567, 3, "1.235");
    check_fmt(1234567, 4, "1.2346");
    check_fmt(1234567, 5, "1.23457");
    check_fmt(1234567, 6, "1.234567");
    check_fmt(999999, 2, "1.00");
    check_fmt(999999, 0, "1");
    check_fmt(9995000, 2, "10.00");
    check_fmt(9994999, 2, "9.99");
    check_fmt(0, 0, "0");
    check_fmt(0, 2, "0.00");
    check_fmt(5000, 2, "0.01");
    check_fmt(4999, 2, "0.00");
    check_fmt(INT64_C(9000000000000000000), 2, "9000000000000.00");
}

static void test_format_shortest(void **state)
{
    (void)state;
    check_fmt(1234500000, -1, "1234.50");
    check_fmt(1200000, -1, "1.20");
    check_fmt(1230000, -1, "1.23");
    check_fmt(1234000, -1, "1.234");
    check_fmt(1234567, -1, "1.234567");
    check_fmt(1, -1, "0.000001");
    check_fmt(0, -1, "0.00");
    check_fmt(5000000, -1, "5.00");
    check_fmt(-1, -1, "-0.000001");
    check_fmt(-1200000, -1, "-1.20");
}

static void test_format_negative(void **state)
{
    (void)state;
    check_fmt(-1234500000, 0, "-1235");
    check_fmt(-1234500000, 2, "-1234.50");
    check_fmt(-1234567, 3, "-1.235");
    check_fmt(-5000, 2, "-0.01");
    check_fmt(-999999, 0, "-1");
    check_fmt(-INT64_C(9000000000000000000), 2, "-9000000000000.00");
}

static void test_format_never_negative_zero(void **state)
{
    (void)state;
    check_fmt(-1, 2, "0.00");
    check_fmt(-4999, 2, "0.00");
    check_fmt(-499999, 0, "0");
    check_fmt(-49, 4, "0.0000");
    check_fmt(-1, 5, "0.00000");
}

static void test_parse_format_round_trip(void **state)
{
    (void)state;
    static const char *const texts[] = {"0.00",     "1.50",    "-1.50", "1234.567891",
                                        "0.000001", "-999.99", "42.00"};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        retain_money m;
        char buf[32];
        assert_int_equal(retain_money_parse(texts[i], strlen(texts[i]), '.', &m), RETAIN_MONEY_OK);
        retain_money_format(m, -1, buf);
        assert_string_equal(buf, texts[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_plain),
        cmocka_unit_test(test_parse_grouping_and_currency),
        cmocka_unit_test(test_parse_accounting_negative),
        cmocka_unit_test(test_parse_one_sign_in_one_place),
        cmocka_unit_test(test_parse_decimal_comma),
        cmocka_unit_test(test_parse_wrong_decimal_hints),
        cmocka_unit_test(test_parse_rejects),
        cmocka_unit_test(test_parse_uses_len),
        cmocka_unit_test(test_parse_rounding_seventh_decimal),
        cmocka_unit_test(test_parse_range),
        cmocka_unit_test(test_parse_range_fraction_past_limit),
        cmocka_unit_test(test_parse_plain_path_agrees),
        cmocka_unit_test(test_format_decimals),
        cmocka_unit_test(test_format_shortest),
        cmocka_unit_test(test_format_negative),
        cmocka_unit_test(test_format_never_negative_zero),
        cmocka_unit_test(test_parse_format_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
