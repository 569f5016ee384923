/*
 * mk8s pause container: PID 1 of every pod sandbox.
 * Holds the pod's network and IPC namespaces open, reaps zombies
 * (children re-parented to it when the pod shares its PID namespace),
 * and exits 0 on SIGTERM or SIGINT. Otherwise it sleeps in pause().
 * Build: gcc -static -O2 -o pause pause.c
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static void on_terminate(int sig) {
  (void)sig;
  _exit(0);
}

static void on_child(int sig) {
  (void)sig;
  while (waitpid(-1, NULL, WNOHANG) > 0) {
  }
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "-v") == 0) {
    printf("mk8s pause 3.9\n");
    return 0;
  }
  if (getpid() != 1) fprintf(stderr, "pause: warning: not running as PID 1\n");

  struct sigaction term;
  memset(&term, 0, sizeof(term));
  term.sa_handler = on_terminate;
  if (sigaction(SIGINT, &term, NULL) < 0 || sigaction(SIGTERM, &term, NULL) < 0) return 1;

  struct sigaction child;
  memset(&child, 0, sizeof(child));
  child.sa_handler = on_child;
  child.sa_flags = SA_NOCLDSTOP | SA_RESTART;
  if (sigaction(SIGCHLD, &child, NULL) < 0) return 2;

  for (;;) pause();
  return 42; /* unreachable */
}
