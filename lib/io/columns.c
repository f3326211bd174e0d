/* Table kinds, their roles, the headers recognised for each role (the
 * exports analysts have: Salesforce, HubSpot, Stripe, Chargebee, Recurly,
 * Pipedrive, French exports), and the one header-name matcher. */
#include <string.h>

#include "columns.h"

/* ---- names -------------------------------------------------------------- */

/* Header names are compared folded: ASCII case, runs of spaces,
 * underscores, tabs and no-break spaces as one '_', blanks around dropped,
 * Latin letters without accents (Latin-1 and Latin Extended-A), the degree
 * and ordinal signs as 'o' ("N° client"). Any other byte stands as is. */
typedef struct {
    const unsigned char *p;
    char pending;
    bool started;
} fold_it;

/* Base letters of U+0100..U+017F; '*' stands as is (Ĳ), '&' is "oe". */
static const char latin_ext_a[] = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkk"
                                  "lllllllllln"
                                  "nnnnnnnnoooooo&&rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/* Base letters of U+00C0..U+00FF; '*' stands as is, '#' is "ae", '$' "ss". */
static const char latin1[] = "aaaaaa#ceeeeiiiidnooooo*ouuuuy*$aaaaaa#ceeeeiiiidnooooo*ouuuuy*y";

static bool separator_at(const unsigned char *p, size_t *len)
{
    if (*p == ' ' || *p == '_' || *p == '\t') {
        *len = 1;
        return true;
    }
    if (p[0] == 0xC2 && p[1] == 0xA0) {
        *len = 2;
        return true;
    }
    return false;
}

static int fold_next(fold_it *it)
{
    for (;;) {
        if (it->pending) {
            int c = (unsigned char)it->pending;
            it->pending = 0;
            return c;
        }
        size_t n;
        if (*it->p == '\0')
            return 0;
        if (separator_at(it->p, &n)) {
            while (separator_at(it->p, &n))
                it->p += n;
            if (*it->p == '\0')
                return 0;
            if (it->started)
                return '_';
            continue;
        }
        it->started = true;
        const unsigned char *p = it->p;
        if (p[0] >= 'A' && p[0] <= 'Z') {
            it->p++;
            return p[0] + 32;
        }
        char base = '*';
        if (p[0] == 0xC3 && p[1] >= 0x80 && p[1] <= 0xBF)
            base = latin1[p[1] - 0x80];
        else if ((p[0] == 0xC4 || p[0] == 0xC5) && p[1] >= 0x80 && p[1] <= 0xBF)
            base = latin_ext_a[(p[0] - 0xC4) * 64 + (p[1] - 0x80)];
        else if (p[0] == 0xC2 && (p[1] == 0xB0 || p[1] == 0xBA))
            base = 'o';
        if (base == '*') {
            it->p++;
            return p[0];
        }
        it->p += 2;
        switch (base) {
        case '#':
            it->pending = 'e';
            return 'a';
        case '&':
            it->pending = 'e';
            return 'o';
        case '$':
            it->pending = 's';
            return 's';
        }
        return (unsigned char)base;
    }
}

bool retain_name_equal(const char *a, const char *b)
{
    fold_it x = {(const unsigned char *)a, 0, false};
    fold_it y = {(const unsigned char *)b, 0, false};
    for (;;) {
        int ca = fold_next(&x), cb = fold_next(&y);
        if (ca != cb)
            return false;
        if (ca == 0)
            return true;
    }
}

/* The folded name, cut to size - 1 bytes. */
static void fold_into(const char *name, char *buf, size_t size)
{
    fold_it it = {(const unsigned char *)name, 0, false};
    size_t n = 0;
    int c;
    while (n + 1 < size && (c = fold_next(&it)) != 0)
        buf[n++] = (char)c;
    buf[n] = '\0';
}

bool rt_name_contains(const char *name, const char *part)
{
    char a[256], b[64];
    fold_into(name, a, sizeof a);
    fold_into(part, b, sizeof b);
    return strstr(a, b) != NULL;
}

bool rt_alias_matches(const rt_alias *a, const char *name)
{
    return a->flags & RT_ALIAS_CONTAINS ? rt_name_contains(name, a->name)
                                        : retain_name_equal(name, a->name);
}

/* ---- the recognised headers ---------------------------------------------- */

/* Ranks: 0 wins over 1 wins over 2 (a documented precedence, retain(1)). */
#define END                                                                                        \
    {                                                                                              \
        NULL, 0, 0                                                                                 \
    }

static const rt_alias customer_id[] = {{"customer_id", 0, 0},
                                       {"customer", 0, 0},
                                       {"Record ID", 0, 0},
                                       {"Account ID", 0, 0},
                                       {"account_code", 0, 0},
                                       {"client_id", 0, 0},
                                       {"N° client", 0, 0},
                                       {"Numéro client", 0, 0},
                                       {"Code client", 0, 0},
                                       {"CustomerID", 0, 0},
                                       {"Organization - ID", 0, 0},
                                       {"id", 1, 0},
                                       END};
static const rt_alias customer_start[] = {
    {"start_date", 0, 0},           {"start", 0, 0},
    {"signup_date", 0, 0},          {"Became a Customer Date", 0, 0},
    {"started_at", 0, 0},           {"Start (UTC)", 0, 0},
    {"Start Date (UTC)", 0, 0},     {"Contract Start Date", 0, 0},
    {"Date de début", 0, 0},        {"activated_at", 1, 0},
    {"Date de souscription", 1, 0}, END};
static const rt_alias customer_end[] = {{"end_date", 0, 0},
                                        {"end", 0, 0},
                                        {"ended_at", 0, 0},
                                        {"Ended At (UTC)", 0, 0},
                                        {"churn_date", 0, 0},
                                        {"churned_at", 0, 0},
                                        {"expires_at", 0, 0},
                                        {"Contract End Date", 0, 0},
                                        {"Date de fin", 0, 0},
                                        {"cancel_date", 1, 0},
                                        {"cancellation_date", 1, 0},
                                        {"canceled_at", 1, 0},
                                        {"cancelled_at", 1, 0},
                                        {"Canceled At (UTC)", 1, 0},
                                        {"Date de résiliation", 1, 0},
                                        END};
static const rt_alias customer_mrr[] = {{"monthly_revenue", 0, 0},
                                        {"mrr", 0, 0},
                                        {"monthly_recurring_revenue", 0, 0},
                                        {"MRR (converted)", 0, 0},
                                        {"Revenu mensuel", 0, 0},
                                        {"arr", 0, RT_ALIAS_ARR},
                                        {"ARR (converted)", 0, RT_ALIAS_ARR},
                                        {"annual_recurring_revenue", 0, RT_ALIAS_ARR},
                                        {"plan_amount", 1, RT_ALIAS_CENTS},
                                        {"unit_amount_in_cents", 1, RT_ALIAS_CENTS},
                                        END};
static const rt_alias customer_reason[] = {{"reason", 0, 0},        {"churn_reason", 0, 0},
                                           {"cancel_reason", 0, 0}, {"cancellation_reason", 0, 0},
                                           {"Motif", 0, 0},         {"Motif de résiliation", 0, 0},
                                           {"Raison", 0, 0},        END};

static const rt_alias event_id[] = {
    {"customer_id", 0, 0}, {"customer", 0, 0},     {"Record ID", 0, 0}, {"Account ID", 0, 0},
    {"user_id", 0, 0},     {"account_code", 0, 0}, {"client_id", 0, 0}, {"N° client", 0, 0},
    {"Code client", 0, 0}, {"CustomerID", 0, 0},   {"id", 1, 0},        END};
static const rt_alias event_date[] = {{"date", 0, 0},
                                      {"event_date", 0, 0},
                                      {"timestamp", 0, 0},
                                      {"occurred_at", 0, 0},
                                      {"created_at", 0, 0},
                                      {"created", 0, 0},
                                      {"submitted_at", 0, 0},
                                      {"answered_at", 0, 0},
                                      {"response_date", 0, 0},
                                      {"order_date", 0, 0},
                                      {"invoice_date", 0, 0},
                                      {"InvoiceDate", 0, 0},
                                      {"Date de commande", 0, 0},
                                      {"Date de facture", 0, 0},
                                      {"Create Date", 1, 0},
                                      END};
static const rt_alias event_kind[] = {
    {"event", 0, 0},      {"event_type", 0, 0}, {"type", 0, 0},     {"name", 0, 0},
    {"event_name", 0, 0}, {"kind", 0, 0},       {"category", 1, 0}, END};
static const rt_alias event_value[] = {{"value", 0, 0}, {"count", 0, 0}, {"quantity", 0, 0}, END};
static const rt_alias survey_score[] = {{"score", 0, 0},
                                        {"nps", 0, 0},
                                        {"rating", 0, 0},
                                        {"nps_score", 0, 0},
                                        {"Note", 0, 0},
                                        {"recommend", 1, RT_ALIAS_CONTAINS},
                                        {"recommand", 1, RT_ALIAS_CONTAINS},
                                        END};
static const rt_alias order_amount[] = {{"amount", 0, 0},
                                        {"total", 0, 0},
                                        {"sales", 0, 0},
                                        {"revenue", 0, 0},
                                        {"Montant", 0, 0},
                                        {"amount_paid", 1, 0},
                                        END};

static const rt_alias referral_referrer[] = {{"referrer_id", 0, 0},
                                             {"referrer", 0, 0},
                                             {"referring_customer_id", 0, 0},
                                             {"referrer_customer_id", 0, 0},
                                             {"advocate_id", 0, 0},
                                             {"parrain", 0, 0},
                                             END};
static const rt_alias referral_referred[] = {
    {"referred_id", 0, 0}, {"referee_id", 0, 0}, {"referred_customer_id", 0, 0},
    {"referred", 0, 0},    {"referee", 0, 0},    {"friend_id", 0, 0},
    {"filleul", 0, 0},     {"lead_id", 1, 0},    END};
static const rt_alias referral_date[] = {{"date", 0, 0},
                                         {"referral_date", 0, 0},
                                         {"referred_at", 0, 0},
                                         {"created_at", 0, 0},
                                         {"created", 0, 0},
                                         {"Create Date", 1, 0},
                                         END};
static const rt_alias referral_reward[] = {{"reward", 0, 0},          {"reward_amount", 0, 0},
                                           {"referral_reward", 0, 0}, {"bounty", 0, 0},
                                           {"commission", 0, 0},      END};

static const rt_alias deal_id[] = {
    {"deal_id", 0, 0},   {"Record ID", 0, 0}, {"Opportunity ID", 0, 0},
    {"Deal - ID", 0, 0}, {"id", 1, 0},        END};
static const rt_alias deal_customer[] = {{"customer_id", 0, 0},
                                         {"customer", 0, 0},
                                         {"Account ID", 0, 0},
                                         {"company_id", 0, 0},
                                         {"Associated Company ID", 0, 0},
                                         {"Associated Company IDs", 0, 0},
                                         END};
static const rt_alias deal_source[] = {{"source", 0, 0},
                                       {"channel", 0, 0},
                                       {"deal_source", 0, 0},
                                       {"Original Source", 0, 0},
                                       {"Lead Source", 0, 0},
                                       {"Deal - Source", 0, 0},
                                       {"Original Source Type", 1, 0},
                                       END};
static const rt_alias deal_created[] = {
    {"Create Date", 0, 0},      {"Created Date", 0, 0},  {"created_at", 0, 0},
    {"created", 0, 0},          {"creation_date", 0, 0}, {"Deal - Deal created", 0, 0},
    {"Date de création", 0, 0}, {"date", 1, 0},          END};
static const rt_alias deal_outcome[] = {{"outcome", 0, 0},       {"result", 0, 0},
                                        {"status", 0, 0},        {"deal_status", 0, 0},
                                        {"Deal - Status", 0, 0}, END};
static const rt_alias deal_stage[] = {{"Deal Stage", 0, 0},   {"Stage", 0, 0},
                                      {"dealstage", 0, 0},    {"Pipeline Stage", 0, 0},
                                      {"Deal - Stage", 0, 0}, END};
static const rt_alias deal_closed[] = {{"Close Date", 0, 0},        {"closed_at", 0, 0},
                                       {"Closed Date", 0, 0},       {"closed", 1, 0},
                                       {"Deal - Close time", 0, 0}, END};

/* ---- the kinds ------------------------------------------------------------ */

/* Each kind: its roles (the public declaration) and, in the same order,
 * the aliases of each. */
static const retain_role_info customers[] = {
    {RETAIN_COL_ID, "id", "customer id", true},
    {RETAIN_COL_START, "start", "start date", true},
    {RETAIN_COL_END, "end", "end date", false},
    {RETAIN_COL_MRR, "mrr", "MRR", false},
    {RETAIN_COL_REASON, "reason", "churn reason", false},
};
static const rt_alias *const customers_aliases[] = {customer_id, customer_start, customer_end,
                                                    customer_mrr, customer_reason};
static const retain_role_info events[] = {
    {RETAIN_COL_ID, "id", "customer id", true},
    {RETAIN_COL_DATE, "date", "event date", true},
    {RETAIN_COL_KIND, "kind", "event kind", false},
    {RETAIN_COL_VALUE, "value", "event value", false},
};
static const rt_alias *const events_aliases[] = {event_id, event_date, event_kind, event_value};
static const retain_role_info tickets[] = {
    {RETAIN_COL_ID, "id", "customer id", true},
    {RETAIN_COL_DATE, "date", "ticket date", true},
    {RETAIN_COL_KIND, "kind", "ticket kind", false},
};
static const rt_alias *const tickets_aliases[] = {event_id, event_date, event_kind};
static const retain_role_info survey[] = {
    {RETAIN_COL_ID, "id", "customer id", true},
    {RETAIN_COL_DATE, "date", "answer date", true},
    {RETAIN_COL_SCORE, "score", "score", true},
};
static const rt_alias *const survey_aliases[] = {event_id, event_date, survey_score};
static const retain_role_info orders[] = {
    {RETAIN_COL_ID, "id", "customer id", true},
    {RETAIN_COL_DATE, "date", "order date", true},
    {RETAIN_COL_AMOUNT, "amount", "order amount", true},
};
static const rt_alias *const orders_aliases[] = {event_id, event_date, order_amount};
static const retain_role_info referrals[] = {
    {RETAIN_COL_ID, "referrer", "referrer id", true},
    {RETAIN_COL_REFERRED, "referred", "referred id", true},
    {RETAIN_COL_DATE, "date", "referral date", true},
    {RETAIN_COL_AMOUNT, "reward", "reward", false},
};
static const rt_alias *const referrals_aliases[] = {referral_referrer, referral_referred,
                                                    referral_date, referral_reward};
/* a deals table needs an outcome or a stage column: checked by the reader */
static const retain_role_info deals[] = {
    {RETAIN_COL_DEAL, "id", "deal id", false},
    {RETAIN_COL_SOURCE, "source", "deal source", false},
    {RETAIN_COL_DATE, "created", "deal creation date", true},
    {RETAIN_COL_OUTCOME, "outcome", "deal outcome", false},
    {RETAIN_COL_STAGE, "stage", "deal stage", false},
    {RETAIN_COL_CLOSED, "closed", "deal close date", false},
    {RETAIN_COL_ID, "customer", "customer id", false},
};
static const rt_alias *const deals_aliases[] = {deal_id,    deal_source, deal_created, deal_outcome,
                                                deal_stage, deal_closed, deal_customer};

#define N(a) (sizeof(a) / sizeof(a)[0])
#define KIND(name, roles)                                                                          \
    {                                                                                              \
        name, roles, roles##_aliases, N(roles)                                                     \
    }

static const struct {
    const char *name;
    const retain_role_info *roles;
    const rt_alias *const *aliases;
    size_t n;
} kinds[RETAIN_TABLE_KINDS] = {
    KIND("customers", customers), KIND("events", events), KIND("tickets", tickets),
    KIND("survey", survey),       KIND("orders", orders), KIND("referrals", referrals),
    KIND("deals", deals),
};

const char *retain_table_kind_name(retain_table_kind kind)
{
    return (unsigned)kind < RETAIN_TABLE_KINDS ? kinds[kind].name : NULL;
}

size_t retain_table_kind_roles(retain_table_kind kind, const retain_role_info **roles)
{
    if ((unsigned)kind >= RETAIN_TABLE_KINDS) {
        *roles = NULL;
        return 0;
    }
    *roles = kinds[kind].roles;
    return kinds[kind].n;
}

/* Where a role is in its kind's declaration; -1 when the kind lacks it. */
static int index_of(retain_table_kind kind, retain_column_role role)
{
    if ((unsigned)kind >= RETAIN_TABLE_KINDS)
        return -1;
    for (size_t i = 0; i < kinds[kind].n; i++)
        if (kinds[kind].roles[i].role == role)
            return (int)i;
    return -1;
}

const rt_alias *rt_aliases(retain_table_kind kind, retain_column_role role)
{
    int i = index_of(kind, role);
    return i < 0 ? NULL : kinds[kind].aliases[i];
}

const retain_role_info *rt_role_info(retain_table_kind kind, retain_column_role role)
{
    int i = index_of(kind, role);
    return i < 0 ? NULL : &kinds[kind].roles[i];
}

const char *retain_role_header(retain_table_kind kind, retain_column_role role, size_t i)
{
    const rt_alias *a = rt_aliases(kind, role);
    for (size_t k = 0; a && a[k].name; k++)
        if (k == i)
            return a[k].name;
    return NULL;
}

bool retain_column_recognised_as(retain_table_kind kind, const char *name, retain_column_role *role)
{
    if ((unsigned)kind >= RETAIN_TABLE_KINDS)
        return false;
    for (size_t i = 0; i < kinds[kind].n; i++) {
        for (const rt_alias *a = kinds[kind].aliases[i]; a->name; a++) {
            if (!(a->flags & (RT_ALIAS_ARR | RT_ALIAS_CENTS)) && rt_alias_matches(a, name)) {
                if (role)
                    *role = kinds[kind].roles[i].role;
                return true;
            }
        }
    }
    return false;
}

bool retain_column_recognised(const char *name, retain_column_role *role)
{
    return retain_column_recognised_as(RETAIN_TABLE_CUSTOMERS, name, role);
}
