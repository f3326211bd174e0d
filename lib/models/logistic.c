/* L2-regularised logistic regression through LIBLINEAR (L2R_LR, the primal
 * trust-region Newton solver), on standardised features; text model files
 * written and read without the process locale. */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <linear.h>

#include <retain/logistic.h>

#include "internal.h"

#define MODEL_MAGIC "retain-score-model 1"

struct retain_logit {
    size_t k;
    char **names;
    double *mean, *sd;
    double c, positive_weight;
    char *spec;
    /* LIBLINEAR's model, w in the direction of label 1 (label = {1, 0}):
     * w[0..k-1] on the standardised features, w[k] on the bias feature. */
    struct model lm;
    int labels[2];
};

static void quiet(const char *s)
{
    (void)s;
}

void retain_logit_free(retain_logit *m)
{
    if (!m)
        return;
    for (size_t j = 0; m->names && j < m->k; j++)
        free(m->names[j]);
    free(m->names);
    free(m->mean);
    free(m->sd);
    free(m->spec);
    free(m->lm.w);
    free(m);
}

static bool name_ok(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > RETAIN_LOGIT_MAX_NAME || !rt_is_utf8(s, len))
        return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
            return false;
    return true;
}

/* A model of k features with its arrays, everything zero. */
static retain_logit *model_new(size_t k)
{
    retain_logit *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->k = k;
    m->names = calloc(k ? k : 1, sizeof *m->names);
    m->mean = calloc(k ? k : 1, sizeof *m->mean);
    m->sd = calloc(k ? k : 1, sizeof *m->sd);
    m->lm.w = calloc(k + 1, sizeof *m->lm.w);
    m->spec = calloc(1, 1);
    if (!m->names || !m->mean || !m->sd || !m->lm.w || !m->spec) {
        retain_logit_free(m);
        return NULL;
    }
    m->labels[0] = 1;
    m->labels[1] = 0;
    m->lm.param.solver_type = L2R_LR;
    m->lm.nr_class = 2;
    m->lm.nr_feature = (int)k;
    m->lm.label = m->labels;
    m->lm.bias = RETAIN_LOGIT_BIAS;
    m->positive_weight = 1;
    return m;
}

static bool set_name(retain_logit *m, size_t j, const char *name, size_t len)
{
    m->names[j] = malloc(len + 1);
    if (!m->names[j])
        return false;
    memcpy(m->names[j], name, len);
    m->names[j][len] = '\0';
    return true;
}

static double z_of(const retain_logit *m, size_t j, double x)
{
    if (isnan(x) || m->sd[j] == 0)
        return 0;
    return (x - m->mean[j]) / m->sd[j];
}

/* Means and population sds of the columns, missing values left out (a
 * column with no value has mean 0 and sd 0). Two passes: exact enough for
 * any scale. */
static void standardise(retain_logit *m, const double *x, size_t n)
{
    for (size_t j = 0; j < m->k; j++) {
        double sum = 0;
        size_t cnt = 0;
        for (size_t i = 0; i < n; i++) {
            double v = x[i * m->k + j];
            if (!isnan(v)) {
                sum += v;
                cnt++;
            }
        }
        double mean = cnt ? sum / (double)cnt : 0, ss = 0;
        for (size_t i = 0; i < n; i++) {
            double v = x[i * m->k + j];
            if (!isnan(v))
                ss += (v - mean) * (v - mean);
        }
        m->mean[j] = mean;
        m->sd[j] = cnt ? sqrt(ss / (double)cnt) : 0;
        /* a column that varies only by rounding noise is constant */
        if (m->sd[j] <= 1e-12 * fabs(mean))
            m->sd[j] = 0;
    }
}

retain_status retain_logit_fit(const double *x, const unsigned char *y, size_t n, size_t k,
                               const char *const *names, const retain_logit_options *options,
                               retain_logit **out, retain_diag *diag)
{
    *out = NULL;
    if (k > RETAIN_LOGIT_MAX_FEATURES)
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "%zu features: at most %d", k,
                       RETAIN_LOGIT_MAX_FEATURES);
    if (!(options->c > 0) || !isfinite(options->c) || options->eps < 0)
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "C must be a positive number");
    if (n > INT32_MAX / 2)
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "%zu rows: at most %d", n, INT32_MAX / 2);
    for (size_t j = 0; j < k; j++) {
        if (!name_ok(names[j]))
            return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL,
                           "feature %zu: a name of 1 to %d bytes of UTF-8 without tab or line "
                           "break",
                           j + 1, RETAIN_LOGIT_MAX_NAME);
        for (size_t i = 0; i < j; i++)
            if (strcmp(names[i], names[j]) == 0)
                return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "feature \"%s\" twice", names[j]);
    }
    size_t n1 = 0;
    for (size_t i = 0; i < n; i++)
        n1 += y[i] != 0;
    size_t n0 = n - n1;
    if (n1 == 0 || n0 == 0)
        return rt_fail(diag, RETAIN_ERR_DATA, 0, NULL,
                       "%zu rows with label 1 and %zu with label 0: both are needed to learn "
                       "anything",
                       n1, n0);

    retain_logit *m = model_new(k);
    if (!m)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    for (size_t j = 0; j < k; j++)
        if (!set_name(m, j, names[j], strlen(names[j]))) {
            retain_logit_free(m);
            return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
        }
    standardise(m, x, n);

    /* LIBLINEAR's sparse rows: the non-zero z values, the bias, -1 */
    size_t per = k + 2;
    struct feature_node *nodes = malloc(n * per * sizeof *nodes);
    struct feature_node **rows = malloc(n * sizeof *rows);
    double *labels = malloc(n * sizeof *labels);
    if (!nodes || !rows || !labels) {
        free(nodes);
        free(rows);
        free(labels);
        retain_logit_free(m);
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        struct feature_node *r = nodes + i * per;
        rows[i] = r;
        size_t p = 0;
        for (size_t j = 0; j < k; j++) {
            double z = z_of(m, j, x[i * k + j]);
            if (z != 0) {
                r[p].index = (int)j + 1;
                r[p++].value = z;
            }
        }
        r[p].index = (int)k + 1;
        r[p++].value = RETAIN_LOGIT_BIAS;
        r[p].index = -1;
        r[p].value = 0;
        labels[i] = y[i] ? 1 : 0;
    }
    struct problem prob = {
        .l = (int)n, .n = (int)k + 1, .y = labels, .x = rows, .bias = RETAIN_LOGIT_BIAS};
    int weight_label[1] = {1};
    double weight[1] = {options->balance ? (double)n0 / (double)n1 : 1.0};
    struct parameter param = {
        .solver_type = L2R_LR,
        .eps = options->eps > 0 ? options->eps : 1e-4,
        .C = options->c,
        .nr_weight = options->balance ? 1 : 0,
        .weight_label = options->balance ? weight_label : NULL,
        .weight = options->balance ? weight : NULL,
    };
    set_print_string_function(quiet);
    retain_status st = RETAIN_OK;
    const char *bad = check_parameter(&prob, &param);
    struct model *lm = bad ? NULL : train(&prob, &param);
    if (bad)
        st = rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "LIBLINEAR: %s", bad);
    else if (!lm)
        st = rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    else {
        /* w towards label 1, whichever label LIBLINEAR saw first */
        double sign = lm->label[0] == 1 ? 1 : -1;
        for (size_t j = 0; j <= k; j++) {
            m->lm.w[j] = sign * lm->w[j];
            if (!isfinite(m->lm.w[j]))
                st = rt_fail(diag, RETAIN_ERR_DATA, 0, NULL, "the fit did not converge");
        }
        m->positive_weight = weight[0];
        m->lm.w[k] -= log(weight[0]) / RETAIN_LOGIT_BIAS;
        m->c = options->c;
        free_and_destroy_model(&lm);
    }
    free(nodes);
    free(rows);
    free(labels);
    if (st != RETAIN_OK) {
        retain_logit_free(m);
        return st;
    }
    *out = m;
    return RETAIN_OK;
}

double retain_logit_contributions(const retain_logit *m, const double *x, double *contrib)
{
    double sum = m->lm.w[m->k] * RETAIN_LOGIT_BIAS;
    for (size_t j = 0; j < m->k; j++) {
        double part = m->lm.w[j] * z_of(m, j, x[j]);
        if (contrib)
            contrib[j] = part;
        sum += part;
    }
    return sum;
}

double retain_logit_predict(const retain_logit *m, const double *x)
{
    /* LIBLINEAR's own prediction, on the standardised row */
    struct feature_node small[66], *r = small;
    if (m->k + 2 > sizeof small / sizeof small[0]) {
        r = malloc((m->k + 2) * sizeof *r);
        if (!r) /* the same number, without LIBLINEAR's buffer */
            return 1 / (1 + exp(-retain_logit_contributions(m, x, NULL)));
    }
    size_t p = 0;
    for (size_t j = 0; j < m->k; j++) {
        double z = z_of(m, j, x[j]);
        if (z != 0) {
            r[p].index = (int)j + 1;
            r[p++].value = z;
        }
    }
    r[p].index = (int)m->k + 1;
    r[p++].value = RETAIN_LOGIT_BIAS;
    r[p].index = -1;
    double prob[2];
    predict_probability(&m->lm, r, prob);
    if (r != small)
        free(r);
    return prob[0];
}

size_t retain_logit_features(const retain_logit *m)
{
    return m->k;
}

const char *retain_logit_name(const retain_logit *m, size_t j)
{
    return m->names[j];
}

double retain_logit_coef(const retain_logit *m, size_t j)
{
    return m->sd[j] == 0 ? 0 : m->lm.w[j];
}

double retain_logit_mean(const retain_logit *m, size_t j)
{
    return m->mean[j];
}

double retain_logit_sd(const retain_logit *m, size_t j)
{
    return m->sd[j];
}

double retain_logit_intercept(const retain_logit *m)
{
    return m->lm.w[m->k] * RETAIN_LOGIT_BIAS;
}

double retain_logit_c(const retain_logit *m)
{
    return m->c;
}

double retain_logit_positive_weight(const retain_logit *m)
{
    return m->positive_weight;
}

const char *retain_logit_spec(const retain_logit *m)
{
    return m->spec;
}

/* The C locale for numbers, for this thread only, while a model is written
 * or read: printf and strtod then use '.'. */
static locale_t c_numbers(locale_t *old)
{
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    *old = c ? uselocale(c) : (locale_t)0;
    return c;
}

static void restore_numbers(locale_t c, locale_t old)
{
    if (c) {
        uselocale(old);
        freelocale(c);
    }
}

retain_status retain_logit_save(const retain_logit *m, const char *spec, FILE *out,
                                retain_diag *diag)
{
    if (spec && strpbrk(spec, "\r\n"))
        return rt_fail(diag, RETAIN_ERR_USAGE, 0, NULL, "a model's spec is one line");
    locale_t old, c = c_numbers(&old);
    if (!c)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    fprintf(out, "%s\nspec\t%s\nc\t%.17g\npositive_weight\t%.17g\nbias\t%.17g\nfeatures\t%zu\n",
            MODEL_MAGIC, spec ? spec : "", m->c, m->positive_weight, m->lm.w[m->k], m->k);
    for (size_t j = 0; j < m->k; j++)
        fprintf(out, "feature\t%s\t%.17g\t%.17g\t%.17g\n", m->names[j], m->mean[j], m->sd[j],
                m->lm.w[j]);
    fputs("end\n", out);
    restore_numbers(c, old);
    if (fflush(out) != 0 || ferror(out))
        return rt_fail(diag, RETAIN_ERR_IO, 0, NULL, "cannot write the model: %s", strerror(errno));
    return RETAIN_OK;
}

/* Reading: one line at a time, fields split at tabs. */
typedef struct {
    FILE *in;
    unsigned long line;
    char buf[4 * RETAIN_LOGIT_MAX_NAME + 256];
    char *field[8];
    size_t nfield;
} model_reader;

static bool next_line(model_reader *r)
{
    if (!fgets(r->buf, sizeof r->buf, r->in))
        return false;
    r->line++;
    size_t len = strlen(r->buf);
    if (len == 0 || r->buf[len - 1] != '\n')
        return false; /* too long, or cut short */
    r->buf[--len] = '\0';
    r->nfield = 0;
    char *s = r->buf;
    while (r->nfield < 8) {
        r->field[r->nfield++] = s;
        s = strchr(s, '\t');
        if (!s)
            break;
        *s++ = '\0';
    }
    return true;
}

static bool number(const char *s, double *out)
{
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    return *s && *end == '\0' && errno == 0 && isfinite(*out);
}

static bool expect(model_reader *r, const char *key, size_t nfield)
{
    return next_line(r) && r->nfield == nfield && strcmp(r->field[0], key) == 0;
}

static retain_status load(model_reader *r, retain_logit **out, retain_diag *diag)
{
    if (!next_line(r) || strcmp(r->buf, MODEL_MAGIC) != 0)
        return rt_fail(diag, RETAIN_ERR_DATA, r->line, NULL,
                       "not a retain score model (the first line is not \"%s\")", MODEL_MAGIC);
    if (!expect(r, "spec", 2))
        return rt_fail(diag, RETAIN_ERR_DATA, r->line, NULL, "damaged model: no spec line");
    char *spec = strdup(r->field[1]);
    double c, weight, bias, k;
    retain_status st = RETAIN_OK;
    if (!spec)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    if (!expect(r, "c", 2) || !number(r->field[1], &c) || !(c > 0) ||
        !expect(r, "positive_weight", 2) || !number(r->field[1], &weight) || !(weight > 0) ||
        !expect(r, "bias", 2) || !number(r->field[1], &bias) || !expect(r, "features", 2) ||
        !number(r->field[1], &k) || k < 0 || k > RETAIN_LOGIT_MAX_FEATURES || k != floor(k)) {
        free(spec);
        return rt_fail(diag, RETAIN_ERR_DATA, r->line, NULL, "damaged model");
    }
    retain_logit *m = model_new((size_t)k);
    if (!m) {
        free(spec);
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    }
    free(m->spec);
    m->spec = spec;
    m->c = c;
    m->positive_weight = weight;
    m->lm.w[m->k] = bias;
    for (size_t j = 0; j < m->k && st == RETAIN_OK; j++) {
        if (!expect(r, "feature", 5) || !name_ok(r->field[1]) ||
            !number(r->field[2], &m->mean[j]) || !number(r->field[3], &m->sd[j]) || m->sd[j] < 0 ||
            !number(r->field[4], &m->lm.w[j]))
            st = rt_fail(diag, RETAIN_ERR_DATA, r->line, NULL, "damaged model: feature %zu", j + 1);
        else if (!set_name(m, j, r->field[1], strlen(r->field[1])))
            st = rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
        for (size_t i = 0; st == RETAIN_OK && i < j; i++)
            if (strcmp(m->names[i], m->names[j]) == 0)
                st = rt_fail(diag, RETAIN_ERR_DATA, r->line, NULL,
                             "damaged model: feature \"%s\" twice", m->names[j]);
    }
    if (st == RETAIN_OK && (!expect(r, "end", 1) || fgetc(r->in) != EOF))
        st = rt_fail(diag, RETAIN_ERR_DATA, r->line, NULL,
                     "damaged model: \"end\" must be the last line");
    if (st != RETAIN_OK) {
        retain_logit_free(m);
        return st;
    }
    *out = m;
    return RETAIN_OK;
}

retain_status retain_logit_load(FILE *in, retain_logit **out, retain_diag *diag)
{
    *out = NULL;
    model_reader *r = calloc(1, sizeof *r);
    if (!r)
        return rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    r->in = in;
    locale_t old, c = c_numbers(&old);
    retain_status st =
        c ? load(r, out, diag) : rt_fail(diag, RETAIN_ERR_NOMEM, 0, NULL, "out of memory");
    restore_numbers(c, old);
    if (st == RETAIN_OK && ferror(in))
        st = rt_fail(diag, RETAIN_ERR_IO, 0, NULL, "cannot read the model");
    if (st != RETAIN_OK) {
        retain_logit_free(*out);
        *out = NULL;
    }
    free(r);
    return st;
}
