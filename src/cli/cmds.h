/*
 * cmds.h — the hosted CLI's subcommands (src/cli), called by main()
 * (main.c): each takes the arguments after its name (preflight: from its
 * name) and returns the exit status (cli.h).
 */
#ifndef WB_CLI_CMDS_H
#define WB_CLI_CMDS_H

#include <stdio.h>

/** The build's version (main.c: build/version.h), e.g. for fetch's User-Agent. */
extern const char *const cli_version;

int fetch_main(int argc, char **argv);       /* fetch.c */
int preflight_main(int argc, char **argv);   /* preflight.c */
int inspect_main(int argc, char **argv);     /* inspect.c */
int ibft_main(int argc, char **argv);        /* ibft.c */
int mkmap_main(int argc, char **argv);       /* mkmap.c */
void fetch_usage(FILE *f);
void preflight_usage(FILE *f);
void inspect_usage(FILE *f);
void mkmap_usage(FILE *f);

#endif
