/* Unit tests for retain/number.h: exact rounding of ratios, half away from
 * zero, with no binary floating point on the way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include <retain/number.h>

static void check(int64_t num, int64_t den, int64_t scale, int decimals, const char *expect)
{
    char buf[RETAIN_NUMBER_BUFSIZE];
    memset(buf, 'x', sizeof buf);
    bool ok = retain_format_ratio(num, den, scale, decimals, buf);
    if (!ok)
        fail_msg("%lld/%lld x %lld (%d decimals) returned false", (long long)num, (long long)den,
                 (long long)scale, decimals);
    if (strcmp(buf, expect) != 0)
        fail_msg("%lld/%lld x %lld (%d decimals) = \"%s\", expected \"%s\"", (long long)num,
                 (long long)den, (long long)scale, decimals, buf, expect);
}

static void test_exact_values(void **state)
{
    (void)state;
    check(1, 8, 100, 2, "12.50");
    check(1, 2, 100, 2, "50.00");
    check(1, 1, 100, 2, "100.00");
    check(0, 5, 100, 2, "0.00");
    check(5, 4, 1, 2, "1.25");
    check(180, 200, 100, 2, "90.00");
    check(3, 2, 100, 0, "150");
}

static void test_repeating_fractions(void **state)
{
    (void)state;
    check(2, 3, 100, 2, "66.67");
    check(1, 3, 100, 2, "33.33");
    check(-1, 3, 100, 2, "-33.33");
    check(-2, 3, 100, 2, "-66.67");
    check(1, 7, 100, 2, "14.29"); /* 14.2857... */
    check(1, 6, 100, 2, "16.67");
    check(5, 6, 100, 2, "83.33");
}

static void test_ties_half_away_from_zero(void **state)
{
    (void)state;
    check(1, 8, 100, 1, "12.5");  /* exact, no rounding */
    check(1, 16, 100, 2, "6.25"); /* exact */
    check(1, 16, 100, 1, "6.3");  /* 6.25: a tie, up */
    check(-1, 16, 100, 1, "-6.3");
    check(1, 160, 100, 2, "0.63"); /* 0.625 */
    check(-1, 160, 100, 2, "-0.63");
    check(1, -160, 100, 2, "-0.63");
    check(-1, -160, 100, 2, "0.63");
    check(3, 8, 100, 0, "38"); /* 37.5 */
    check(-3, 8, 100, 0, "-38");
    check(5, 8, 100, 0, "63");  /* 62.5: half-even would give 62 */
    check(1, 200, 100, 0, "1"); /* 0.5 */
    check(-1, 200, 100, 0, "-1");
    check(1, 2000, 100, 1, "0.1"); /* 0.05 */
    /* just below a tie stays down: 0.62499... */
    check(62499, 100000, 1, 2, "0.62");
    check(62500, 100000, 1, 2, "0.63");
    check(-62499, 100000, 1, 2, "-0.62");
}

static void test_never_negative_zero(void **state)
{
    (void)state;
    check(-1, 1000000, 100, 2, "0.00"); /* -0.0001 */
    check(-1, 200001, 100, 2, "0.00");  /* just under -0.0005 */
    check(-1, 20000, 100, 2, "-0.01");  /* -0.005: a tie, away from zero */
    check(-1, 20001, 100, 2, "0.00");   /* -0.0049998: rounds to zero */
    check(-1, 3, 1, 0, "0");            /* -0.33 */
    check(1, -3, 1, 0, "0");
    check(0, -5, 100, 2, "0.00");
    check(-1, 1000000000, 1, 9, "-0.000000001");
    check(-1, 3000000000, 1, 9, "0.000000000");
}

static void test_zero_denominator(void **state)
{
    (void)state;
    char buf[RETAIN_NUMBER_BUFSIZE];
    strcpy(buf, "stale");
    assert_false(retain_format_ratio(1, 0, 100, 2, buf));
    assert_string_equal(buf, "");
    strcpy(buf, "stale");
    assert_false(retain_format_ratio(0, 0, 100, 2, buf));
    assert_string_equal(buf, "");
    strcpy(buf, "stale");
    assert_false(retain_format_ratio(-5, 0, 1, 0, buf));
    assert_string_equal(buf, "");
}

static void test_zero_decimals(void **state)
{
    (void)state;
    check(1, 2, 100, 0, "50");
    check(1, 3, 100, 0, "33");
    check(2, 3, 100, 0, "67");
    check(-2, 3, 100, 0, "-67");
    check(0, 3, 100, 0, "0");
    check(7, 1, 1, 0, "7");
}

static void test_nine_decimals(void **state)
{
    (void)state;
    check(1, 3, 100, 9, "33.333333333");
    check(2, 3, 100, 9, "66.666666667");
    check(-2, 3, 100, 9, "-66.666666667");
    check(1, 7, 1, 9, "0.142857143"); /* 0.142857142857... */
    check(1, 8, 100, 9, "12.500000000");
    check(1, 1000000000, 1, 9, "0.000000001");
    check(1, 2000000000, 1, 9, "0.000000001"); /* 5e-10, a tie */
    check(1, 2000000001, 1, 9, "0.000000000");
}

static void test_other_decimals(void **state)
{
    (void)state;
    check(2, 3, 100, 1, "66.7");
    check(2, 3, 100, 3, "66.667");
    check(2, 3, 100, 4, "66.6667");
    check(1, 3, 1, 4, "0.3333");
}

static void test_large_operands(void **state)
{
    (void)state;
    const int64_t big = (INT64_C(1) << 40) - 1; /* 1099511627775 */
    check(big, 1, 100, 2, "109951162777500.00");
    check(-big, 1, 100, 2, "-109951162777500.00");
    check(big, big, 100, 9, "100.000000000");
    check(big - 1, big, 100, 2, "100.00");
    check(1, big, 100, 9, "0.000000000"); /* 9.09e-11 */
}

/* number.h allows |num| and |scale| up to 2^40, so num x scale / den can
 * reach 2^80: the digits must still be exact past 2^64. */
static void test_results_past_2_64(void **state)
{
    (void)state;
    const int64_t big = (INT64_C(1) << 40) - 1;
    /* (2^40 - 1)^2 / 3 = 402975273204143383816875 exactly: past 2^64, but
     * within the |num|, |scale| < 2^40 the contract allows */
    check(big, 3, big, 0, "402975273204143383816875");
    check(big, 2, big, 1, "604462909806215075725312.5");
    char buf[RETAIN_NUMBER_BUFSIZE];
    assert_true(retain_format_ratio(-big, 1, big, 9, buf));
    /* -(2^40 - 1)^2 = -(2^80 - 2^41 + 1) */
    assert_true(strlen(buf) < RETAIN_NUMBER_BUFSIZE);
    assert_string_equal(buf, "-1208925819612430151450625.000000000");
}

/* Issue 16: retain cac --spend 9000000000000 --new 1 printed
 * 9000000000000.01 (through a double whose tie tolerance passed 0.5). */
static void check_money(int64_t amount, int64_t den, int decimals, const char *expect)
{
    char buf[RETAIN_NUMBER_BUFSIZE];
    assert_true(retain_format_money_ratio(amount, den, decimals, buf));
    if (strcmp(buf, expect) != 0)
        fail_msg("%lld/%lld (%d decimals) = \"%s\", expected \"%s\"", (long long)amount,
                 (long long)den, decimals, buf, expect);
}

static void test_money_ratio_exact(void **state)
{
    (void)state;
    check_money(9000000000000000000, 1, 2, "9000000000000.00");
    check_money(9000000000000030000, 1, 2, "9000000000000.03");
    check_money(9000000000000000000, 7, 9, "1285714285714.285714286");
    check_money(INT64_MAX, 1, 6, "9223372036854.775807");
    check_money(50000000000, 40, 2, "1250.00");
    check_money(5000, 1, 2, "0.01"); /* 0.005 is a tie: away from zero */
    check_money(-5000, 1, 2, "-0.01");
    check_money(4999, 1, 2, "0.00");
    check_money(-1, 3, 2, "0.00"); /* never -0.00 */
    char buf[RETAIN_NUMBER_BUFSIZE];
    assert_false(retain_format_money_ratio(5, 0, 2, buf));
    assert_string_equal(buf, "");
}

static void test_real_large_not_rounded_up(void **state)
{
    (void)state;
    char buf[RETAIN_NUMBER_BUFSIZE];
    assert_true(retain_format_real(9e12, 2, buf));
    assert_string_equal(buf, "9000000000000.00");
    assert_true(retain_format_real(1e14, 0, buf));
    assert_string_equal(buf, "100000000000000");
    assert_true(retain_format_real(0.35, 1, buf));
    assert_string_equal(buf, "0.4");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_values),
        cmocka_unit_test(test_repeating_fractions),
        cmocka_unit_test(test_ties_half_away_from_zero),
        cmocka_unit_test(test_never_negative_zero),
        cmocka_unit_test(test_zero_denominator),
        cmocka_unit_test(test_zero_decimals),
        cmocka_unit_test(test_nine_decimals),
        cmocka_unit_test(test_other_decimals),
        cmocka_unit_test(test_large_operands),
        cmocka_unit_test(test_results_past_2_64),
        cmocka_unit_test(test_money_ratio_exact),
        cmocka_unit_test(test_real_large_not_rounded_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
