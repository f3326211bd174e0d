/* The subcommands, one file each; main.c dispatches to them. */
#ifndef RETAIN_COMMANDS_H
#define RETAIN_COMMANDS_H

int cmd_rate(int argc, char **argv);
int cmd_norm(int argc, char **argv);
int cmd_cohort(int argc, char **argv);
int cmd_survival(int argc, char **argv);
int cmd_churn(int argc, char **argv);
int cmd_ltv(int argc, char **argv);
int cmd_cac(int argc, char **argv);

#endif
