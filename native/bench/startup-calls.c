/* The C contender of the start-up benchmark: what StartupFacade does, in C.
 *   startup-calls one   socket(AF_INET, SOCK_STREAM, 0), then exit
 *   startup-calls ten   ten distinct calls over loopback: socket, setsockopt, bind, listen,
 *                       getsockname, connect, accept, write, read, close
 * Exits 0 when every call did what it should, 1 otherwise (nothing is printed on success). */
#include "bench-common.h"
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

static int ten(void) {
  int one = 1;
  struct sockaddr_in addr;
  socklen_t len = sizeof addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  if (lfd < 0) die_errno("socket");
  if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0) die_errno("setsockopt");
  if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0) die_errno("bind");
  if (listen(lfd, 1) < 0) die_errno("listen");
  if (getsockname(lfd, (struct sockaddr *)&addr, &len) < 0) die_errno("getsockname");
  int cfd = socket(AF_INET, SOCK_STREAM, 0);
  if (cfd < 0) die_errno("socket");
  if (connect(cfd, (struct sockaddr *)&addr, sizeof addr) < 0) die_errno("connect");
  int afd = accept(lfd, NULL, NULL);
  if (afd < 0) die_errno("accept");
  if (write(cfd, "x", 1) != 1) die_errno("write");
  char c;
  if (read(afd, &c, 1) != 1 || c != 'x') die_errno("read");
  if (close(afd) < 0 || close(cfd) < 0 || close(lfd) < 0) die_errno("close");
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "one") == 0) return socket(AF_INET, SOCK_STREAM, 0) < 0;
  if (argc == 2 && strcmp(argv[1], "ten") == 0) return ten();
  fprintf(stderr, "usage: startup-calls one|ten\n");
  return 2;
}
