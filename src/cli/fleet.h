/* fleet.h: `ikescope fleet STORE`, the summary of a fleet store (store.h). */
#ifndef IKESCOPE_CLI_FLEET_H
#define IKESCOPE_CLI_FLEET_H

/* argv[0] is "fleet"; returns the exit status (0, or 2 on a usage or store error). */
int cli_fleet_command(int argc, char **argv);

#endif
