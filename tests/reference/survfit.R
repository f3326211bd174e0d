# R's survival package on lives: the Kaplan-Meier curves (survfit,
# conf.type "log-log"), the medians (quantile.survfit) and the log-rank
# test (survdiff), for check-survival-r.py.
#
#   Rscript survfit.R < LIVES.csv      (columns case,group,t,event)
#
# For each case, in order, prints "## CASE" and three CSV blocks, each
# after a line "# curves", "# medians", "# logrank":
# group,t,at_risk,events,censored,survival,ci_low,ci_high (every distinct
# t, as summary(fit, censored = TRUE) lists them); group,median;
# chisq,df,p_value (none for one group). Full precision (17 digits).
suppressPackageStartupMessages(library(survival))
all <- read.csv(file("stdin"), colClasses = c("character", "character", "numeric", "numeric"))
options(digits = 17)
for (k in unique(all$case)) {
  d <- all[all$case == k, ]
  cat("## ", k, "\n", sep = "")
  fit <- survfit(Surv(t, event) ~ group, data = d, conf.type = "log-log")
  s <- summary(fit, censored = TRUE)
  one <- d$group[1] # a single group: survfit has no strata
  g <- if (is.null(s$strata)) rep(one, length(s$time)) else sub("^group=", "", as.character(s$strata))
  cat("# curves\n")
  write.csv(data.frame(group = g, t = s$time, at_risk = s$n.risk, events = s$n.event,
                       censored = s$n.censor, survival = s$surv, ci_low = s$lower,
                       ci_high = s$upper), stdout(), row.names = FALSE, na = "", quote = FALSE)
  cat("# medians\n")
  q <- quantile(fit, 0.5)$quantile
  nm <- if (is.null(fit$strata)) one else sub("^group=", "", names(fit$strata))
  write.csv(data.frame(group = nm, median = as.numeric(q)), stdout(), row.names = FALSE,
            na = "", quote = FALSE)
  cat("# logrank\n")
  if (length(unique(d$group)) > 1) {
    sd <- survdiff(Surv(t, event) ~ group, data = d)
    df <- sum(sd$exp > 0) - 1
    write.csv(data.frame(chisq = sd$chisq, df = df,
                         p_value = pchisq(sd$chisq, df, lower.tail = FALSE)),
              stdout(), row.names = FALSE, quote = FALSE)
  }
}
