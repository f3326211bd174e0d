/* Labels, numbers and dates of a report in its language (retain/lang.h). */
#include <stdio.h>
#include <string.h>

#include <retain/lang.h>

bool retain_lang_parse(const char *name, retain_lang *out)
{
    if (strcmp(name, "en") == 0)
        *out = RETAIN_LANG_EN;
    else if (strcmp(name, "fr") == 0)
        *out = RETAIN_LANG_FR;
    else
        return false;
    return true;
}

size_t retain_lang_number(retain_lang lang, const char *number, char *buf)
{
    const char *p = number;
    bool neg = *p == '-';
    if (neg)
        p++;
    size_t ndig = strspn(p, "0123456789");
    const char *frac = p + ndig;
    size_t nfrac = 0;
    if (*frac == '.') {
        nfrac = strspn(frac + 1, "0123456789");
        if (nfrac == 0)
            ndig = 0; /* "12." is not one of ours */
    }
    if (ndig == 0 || ndig > 30 || nfrac > 20 || frac[*frac == '.' ? nfrac + 1 : 0] != '\0') {
        size_t n = strlen(number);
        if (n >= RETAIN_LANG_BUFSIZE)
            n = RETAIN_LANG_BUFSIZE - 1;
        memcpy(buf, number, n);
        buf[n] = '\0';
        return n;
    }
    const char *group = lang == RETAIN_LANG_FR ? "\xE2\x80\xAF" : ",";
    size_t n = 0;
    if (neg) {
        memcpy(buf, "\xE2\x88\x92", 3); /* U+2212 MINUS SIGN */
        n = 3;
    }
    for (size_t i = 0; i < ndig; i++) {
        if (i > 0 && (ndig - i) % 3 == 0 && ndig > 4 - (lang == RETAIN_LANG_EN)) {
            size_t g = strlen(group);
            memcpy(buf + n, group, g);
            n += g;
        }
        buf[n++] = p[i];
    }
    if (nfrac) {
        buf[n++] = lang == RETAIN_LANG_FR ? ',' : '.';
        memcpy(buf + n, frac + 1, nfrac);
        n += nfrac;
    }
    buf[n] = '\0';
    return n;
}

size_t retain_lang_date(retain_lang lang, retain_day day, char *buf)
{
    static const char *const en[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static const char *const fr[] = {"janvier",   "février", "mars",     "avril",
                                     "mai",       "juin",    "juillet",  "août",
                                     "septembre", "octobre", "novembre", "décembre"};
    int y, m, d;
    retain_day_to_ymd(day, &y, &m, &d);
    int n;
    if (lang == RETAIN_LANG_FR)
        n = snprintf(buf, RETAIN_LANG_BUFSIZE, d == 1 ? "%der %s %d" : "%d %s %d", d, fr[m - 1], y);
    else
        n = snprintf(buf, RETAIN_LANG_BUFSIZE, "%s %d, %d", en[m - 1], d, y);
    return n > 0 ? (size_t)n : 0;
}

/* English key, French label. */
static const char *const labels[][2] = {
    {"Monthly report", "Rapport mensuel"},
    {"Quarterly report", "Rapport trimestriel"},
    {"Quarterly business review", "Revue trimestrielle"},
    {"Headline figures", "Chiffres clés"},
    {"Metric", "Indicateur"},
    {"vs previous period", "vs période précédente"},
    {"vs a year earlier", "vs un an plus tôt"},
    {"Previous period", "Période précédente"},
    {"A year earlier", "Un an plus tôt"},
    {"Customers", "Clients"},
    {"Customers at the end", "Clients en fin de période"},
    {"New customers", "Nouveaux clients"},
    {"Won back", "Reconquis"},
    {"Lost", "Perdus"},
    {"Retention (TRC)", "Rétention (TRC)"},
    {"Churn (TRC)", "Attrition (TRC)"},
    {"Kept", "Conservés"},
    {"Customers kept", "Clients conservés"},
    {"MRR", "MRR"},
    {"NRR", "NRR"},
    {"GRR", "GRR"},
    {"LTV", "LTV"},
    {"CAC", "CAC"},
    {"LTV:CAC", "LTV:CAC"},
    {"NPS", "NPS"},
    {"ARPU", "ARPU"},
    {"Goals", "Objectifs"},
    {"Target", "Cible"},
    {"Result", "Résultat"},
    {"Status", "Statut"},
    {"hit", "atteint"},
    {"missed", "manqué"},
    {"by", "de"},
    {"Charts", "Graphiques"},
    {"Retention trend", "Évolution de la rétention"},
    {"Retention by period (TRC)", "Rétention par période (TRC)"},
    {"MRR movements", "Mouvements de MRR"},
    {"Cohort retention", "Rétention par cohorte"},
    {"Cohort", "Cohorte"},
    {"Age (periods)", "Âge (périodes)"},
    {"Survival (Kaplan-Meier)", "Survie (Kaplan-Meier)"},
    {"Tenure (days)", "Ancienneté (jours)"},
    {"Still subscribed", "Toujours abonnés"},
    {"Churn by stage", "Attrition par étape"},
    {"Churn by reason", "Attrition par motif"},
    {"Stage", "Étape"},
    {"Reason", "Motif"},
    {"Entered", "Entrés"},
    {"Churned", "Partis"},
    {"Churn %", "Attrition %"},
    {"LTV:CAC by channel", "LTV:CAC par canal"},
    {"Channel", "Canal"},
    {"Spend", "Dépenses"},
    {"Next steps", "Prochaines étapes"},
    {"Not included", "Non inclus"},
    {"Period", "Période"},
    {"As of", "Au"},
    {"Segment", "Segment"},
    {"all", "tous"},
    {"new", "nouveau"},
    {"expansion", "expansion"},
    {"reactivation", "réactivation"},
    {"contraction", "contraction"},
    {"churned", "perdu"},
    {"no data", "pas de données"},
    {"Account", "Compte"},
    {"Usage and adoption", "Usage et adoption"},
    {"Event", "Événement"},
    {"Seats", "Sièges"},
    {"Tickets", "Tickets"},
    {"NPS answers", "Réponses NPS"},
    {"MRR history", "Historique du MRR"},
    {"Tenure", "Ancienneté"},
    {"days", "jours"},
    {"Next renewal", "Prochain renouvellement"},
    {"Customer since", "Client depuis"},
    {"Return on investment", "Retour sur investissement"},
    {"Before", "Avant"},
    {"After", "Après"},
    {"Change", "Variation"},
    {"Unit", "Unité"},
    {"Value", "Valeur"},
    {"Date", "Date"},
    {"Score", "Note"},
    {"Kind", "Type"},
    {"Count", "Nombre"},
    {"Median tenure", "Ancienneté médiane"},
    {"not reached", "non atteinte"},
    {"Seats", "Sièges"},
    {"was", "contre"},
    {"Health", "Santé"},
    {"zone", "zone"},
    {"Group", "Groupe"},
    {"promoter", "promoteur"},
    {"passive", "passif"},
    {"detractor", "détracteur"},
    {"as of", "au"},
    {"other", "autres"},
    {"not active on the as-of day", "inactif à la date d'observation"},
    {"Prepare the renewal of", "Préparer le renouvellement du"},
    {"A promoter: ask for a reference or a referral.",
     "Un promoteur\xC2\xA0: demander une référence ou une recommandation."},
    {"No signal raised: keep the cadence.", "Aucun signal\xC2\xA0: garder le rythme."},
    {"Win the account back: it is not active on the as-of day.",
     "Reconquérir le compte\xC2\xA0: il est inactif à la date d'observation."},
    {"No recent activity: call the champion to re-engage.",
     "Aucune activité récente\xC2\xA0: appeler le référent pour relancer l'usage."},
    {"Usage is falling: review adoption and training.",
     "L'usage baisse\xC2\xA0: revoir l'adoption et la formation."},
    {"Tickets are rising: review the open issues with support.",
     "Les tickets augmentent\xC2\xA0: revoir les incidents ouverts avec le support."},
    {"Revenue is down: check the contract and the plan.",
     "Le revenu baisse\xC2\xA0: vérifier le contrat et l'offre."},
    {"A yearly renewal was missed: call before it lapses.",
     "Un renouvellement annuel a été manqué\xC2\xA0: appeler avant qu'il n'expire."},
    {"The latest NPS answer is below 9: follow up on it.",
     "La dernière réponse NPS est sous 9\xC2\xA0: y donner suite."},
    {"ARPU and LTV", "ARPU et LTV"},
    {"LTV of the previous periods", "LTV des périodes précédentes"},
    {"MRR, NRR, GRR and MRR movements", "MRR, NRR, GRR et mouvements de MRR"},
    {"CAC and LTV:CAC by channel", "CAC et LTV:CAC par canal"},
    {"NPS and detractors to call", "NPS et détracteurs à appeler"},
    {"Accounts at risk, expansion candidates", "Comptes à risque, candidats à l'expansion"},
    {"no MRR column", "pas de colonne MRR"},
    {"needs --as-of", "demande --as-of"},
    {"not in this version", "pas dans cette version"},
    {"not in this version (retain cac --spend-table)",
     "pas dans cette version (retain cac --spend-table)"},
    {"not in this version (retain nps --below 9)", "pas dans cette version (retain nps --below 9)"},
    {"not in this version (retain risk)", "pas dans cette version (retain risk)"},
    {"no goals file (--goals)", "pas de fichier d'objectifs (--goals)"},
    {"no churn reason column", "pas de colonne de motif d'attrition"},
    {"no events table", "pas de table d'événements"},
    {"no tickets table", "pas de table de tickets"},
    {"no survey table", "pas de table d'enquête"},
    {"no row of the account in these quarters", "aucune ligne du compte sur ces trimestres"},
    {"no answer of the account", "aucune réponse du compte"},
    {"no ROI file (--roi)", "pas de fichier de ROI (--roi)"},
    {"one curve per segment: more than six segments",
     "une courbe par segment\xC2\xA0: plus de six segments"},
    {"no period with customers at its start", "aucune période avec des clients au début"},
    {"no cohort", "aucune cohorte"},
    {"Signals", "Signaux"},
    {"Accounts at risk (zone 3)", "Comptes à risque (zone 3)"},
    {"Detractors to call", "Détracteurs à appeler"},
    {"Expansion candidates", "Candidats à l'expansion"},
    {"Detractors to call, expansion candidates", "Détracteurs à appeler, candidats à l'expansion"},
    {"No account in zone 3.", "Aucun compte en zone 3."},
    {"No active detractor.", "Aucun détracteur actif."},
    {"No promoter whose usage grows.", "Aucun promoteur dont l'usage croît."},
    {"no events, tickets or survey table (--events, --survey)",
     "pas de table d'événements, de tickets ni d'enquête (--events, --survey)"},
    {"not in this version (retain nps)", "pas dans cette version (retain nps)"},
    {"Survival (Kaplan-Meier) by", "Survie (Kaplan-Meier) par"},
    {"no life entered a stage", "aucune vie n'est entrée dans une étape"},
    {"Detractors to call (below 9)", "Détracteurs à appeler (sous 9)"},
    {"No active customer answered below 9.", "Aucun client actif n'a répondu sous 9."},
    {"no answer on or before as-of", "aucune réponse jusqu'à la date d'observation"},
    {"no survey table (--survey)", "pas de table d'enquête (--survey)"},
    {"no MRR moved in these periods", "aucun mouvement de MRR sur ces périodes"},
    {" (the period is observed up to that day)", " (la période est observée jusqu'à ce jour)"},
    {"no spend table (--spend-table)", "pas de table de dépenses (--spend-table)"},
    {"the spend table has channels: name the customer table's with --by",
     "la table de dépenses a des canaux\xC2\xA0: nommer celui de la table des clients avec --by"},
};

const char *retain_lang_label(retain_lang lang, const char *key)
{
    if (lang != RETAIN_LANG_FR)
        return key;
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i][0], key) == 0)
            return labels[i][1];
    return key;
}

const char *retain_lang_colon(retain_lang lang)
{
    /* French sets a no-break space before the colon; English none */
    return lang == RETAIN_LANG_FR ? "\xC2\xA0: " : ": ";
}
