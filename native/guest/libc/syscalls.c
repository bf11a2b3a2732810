/*
 * What musl asks of an operating system, answered inside the guest (native/README.md,
 * "The C library"): output goes to the call's output, memory comes from the heap region,
 * the clock and random bytes from the host; exit and abort end the call; anything else is
 * -ENOSYS. musl reaches it by `syscall` (libc_entry.S points LSTAR here).
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>

#include "../microscope.h"
#include "libc_glue.h"

#define ARCH_SET_FS 0x1002
#define PAGE 4096u

/* ---- Memory: brk and mmap over the heap region, one page map for both ----
 * The program break grows up from the heap's start; mmap takes pages from the top down.
 * A page a call has handed out and taken back is zeroed before it is handed out again
 * (mmap's pages read as zero); pages no call has touched are zero already. */
#define MAX_PAGES (1u << 20) /* 4 GiB of heap */
static uint8_t page_used[MAX_PAGES / 8], page_dirty[MAX_PAGES / 8];
static uint64_t heap_first, heap_pages, break_at;

static int used(uint64_t page) { return page_used[page / 8] >> (page % 8) & 1; }
static void mark(uint8_t *map, uint64_t page, int on) {
  if (on)
    map[page / 8] |= (uint8_t)(1u << (page % 8));
  else
    map[page / 8] &= (uint8_t) ~(1u << (page % 8));
}

static void memory_init(void) {
  if (heap_first) return;
  const struct ms_control_block *cb = ms_control_block();
  heap_first = (cb->heap_base + PAGE - 1) / PAGE;
  uint64_t last = cb->heap_end / PAGE;
  heap_pages = last > heap_first ? last - heap_first : 0;
  if (heap_pages > MAX_PAGES) heap_pages = MAX_PAGES;
  break_at = heap_first * PAGE;
}

/* Marks pages [first, first + count) (indexes into the heap) in use, zeroing any a call
 * used before. */
static void take(uint64_t first, uint64_t count) {
  for (uint64_t page = first; page < first + count; ++page) {
    mark(page_used, page, 1);
    if (page_dirty[page / 8] >> (page % 8) & 1) memset((void *)((heap_first + page) * PAGE), 0, PAGE);
    mark(page_dirty, page, 1);
  }
}

static long sys_brk(uint64_t wanted) {
  memory_init();
  if (wanted < heap_first * PAGE) return (long)break_at;
  uint64_t have = (break_at - heap_first * PAGE + PAGE - 1) / PAGE; /* pages below the break */
  uint64_t need = (wanted - heap_first * PAGE + PAGE - 1) / PAGE;
  if (need > heap_pages) return (long)break_at;
  for (uint64_t page = have; page < need; ++page)
    if (used(page)) return (long)break_at; /* an mmap is in the way */
  if (need > have) take(have, need - have);
  for (uint64_t page = need; page < have; ++page) mark(page_used, page, 0);
  break_at = wanted;
  return (long)break_at;
}

static long sys_mmap(uint64_t address, uint64_t length, int prot, int flags, int fd) {
  (void)prot;
  memory_init();
  if (!(flags & MAP_ANONYMOUS) || fd != -1) return -ENODEV; /* no files */
  if (flags & MAP_FIXED) return -ENOMEM;                    /* no placement by the caller; a hint is ignored */
  (void)address;
  if (!length) return -EINVAL;
  uint64_t count = (length + PAGE - 1) / PAGE;
  if (count > heap_pages) return -ENOMEM;
  /* First fit from the top, above the break. */
  uint64_t floor = (break_at - heap_first * PAGE + PAGE - 1) / PAGE;
  uint64_t run = 0;
  for (uint64_t page = heap_pages; page-- > floor;) {
    run = used(page) ? 0 : run + 1;
    if (run == count) {
      take(page, count);
      return (long)((heap_first + page) * PAGE);
    }
  }
  return -ENOMEM;
}

/* The SDK's count of what is left: the heap's pages neither mapped nor below the break. */
size_t ms_heap_free(void) {
  memory_init();
  size_t free = 0;
  for (uint64_t page = 0; page < heap_pages; ++page) free += used(page) ? 0 : PAGE;
  return free;
}

static long sys_munmap(uint64_t address, uint64_t length) {
  memory_init();
  if (address % PAGE) return -EINVAL;
  uint64_t first = address / PAGE, count = (length + PAGE - 1) / PAGE;
  if (first < heap_first || first - heap_first + count > heap_pages) return -EINVAL;
  for (uint64_t page = first - heap_first; page < first - heap_first + count; ++page) mark(page_used, page, 0);
  return 0;
}

/* ---- Output: stdout and stderr to the call's output, as bytes, in pieces the output
 * buffer holds ---- */
static long write_out(int fd, const uint8_t *data, uint64_t length) {
  if (fd != 1 && fd != 2) return -EBADF;
  for (uint64_t done = 0; done < length;) {
    uint32_t n = length - done < MS_OUTPUT_PIECE ? (uint32_t)(length - done) : MS_OUTPUT_PIECE;
    ms_output((uint32_t)fd, data + done, n);
    done += n;
  }
  return (long)length;
}

static long sys_writev(int fd, const struct iovec *iov, int count) {
  long total = 0;
  for (int i = 0; i < count; ++i) {
    long n = write_out(fd, iov[i].iov_base, iov[i].iov_len);
    if (n < 0) return n;
    total += n;
  }
  return total;
}

/* ---- The clock and random bytes: the host's ---- */
static long sys_clock_gettime(int clock, struct timespec *ts) {
  int which;
  switch (clock) {
    case CLOCK_REALTIME: which = 0; break;
    case CLOCK_MONOTONIC:
    case CLOCK_MONOTONIC_RAW:
    case CLOCK_BOOTTIME: which = 1; break;
    default: return -EINVAL;
  }
  int64_t ns = ms_clock_ns(which);
  ts->tv_sec = ns / 1000000000;
  ts->tv_nsec = ns % 1000000000;
  return 0;
}

static long sys_getrandom(uint8_t *buffer, uint64_t length) {
  uint64_t done = 0;
  while (done < length) {
    uint32_t n = length - done < 256 ? (uint32_t)(length - done) : 256;
    ms_random_bytes(buffer + done, n);
    done += n;
  }
  return (long)length;
}

long ms__syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6) {
  (void)a6;
  switch (number) {
    case SYS_write: return write_out((int)a1, (const uint8_t *)a2, (uint64_t)a3);
    case SYS_writev: return sys_writev((int)a1, (const struct iovec *)a2, (int)a3);
    case SYS_read:
    case SYS_readv: return a1 == 0 ? 0 : -EBADF; /* stdin is empty */
    case SYS_ioctl:
      /* stdout and stderr are terminals to musl, so it line-buffers stdout. */
      return (a1 == 1 || a1 == 2) && (unsigned long)a2 == TIOCGWINSZ ? 0 : -ENOTTY;
    case SYS_brk: return sys_brk((uint64_t)a1);
    case SYS_mmap: return sys_mmap((uint64_t)a1, (uint64_t)a2, (int)a3, (int)a4, (int)a5);
    case SYS_munmap: return sys_munmap((uint64_t)a1, (uint64_t)a2);
    case SYS_madvise:
    case SYS_mprotect: return 0;
    case SYS_clock_gettime: return sys_clock_gettime((int)a1, (struct timespec *)a2);
    case SYS_getrandom: return sys_getrandom((uint8_t *)a1, (uint64_t)a2);
    case SYS_arch_prctl:
      if (a1 != ARCH_SET_FS) return -EINVAL;
      ms__set_fs_base((uint64_t)a2);
      return 0;
    case SYS_set_tid_address:
    case SYS_gettid:
    case SYS_getpid: return 1;
    case SYS_rt_sigprocmask:
    case SYS_rt_sigaction: return 0;
    case SYS_tkill:
    case SYS_tgkill:
    case SYS_kill: ms__abort_signal((int)(number == SYS_tgkill ? a3 : a2));
    case SYS_exit:
    case SYS_exit_group: ms__exit((int)a1);
    default: return -ENOSYS;
  }
}
