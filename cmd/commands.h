/* The subcommands, one file each; main.c lists them. See cli.h for how to
 * write one. */
#ifndef RETAIN_COMMANDS_H
#define RETAIN_COMMANDS_H

#include "cli.h"

extern const cli_command rate_command;
extern const cli_command churn_command;
extern const cli_command norm_command;
extern const cli_command cohort_command;
extern const cli_command survival_command;
extern const cli_command ltv_command;
extern const cli_command cac_command;
extern const cli_command risk_command;
extern const cli_command nps_command;
extern const cli_command activation_command;
extern const cli_command score_command;
extern const cli_command report_command;
extern const cli_command repeat_command;
extern const cli_command rfm_command;
extern const cli_command clv_command;
extern const cli_command referral_command;
extern const cli_command mrr_command;

#endif
