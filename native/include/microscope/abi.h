/*
 * The Microscope guest ABI, version 1: everything the host engine and a guest agree on.
 *
 * Included by the engine (C++17) and by the guest SDK (freestanding C), so it holds only
 * fixed-layout structs, constants and no code. Every multi-byte field is little-endian.
 * native/README.md explains the memory layout, the entry state and each frame with a
 * diagram; this file is the one definition both sides compile against.
 */
#ifndef MICROSCOPE_ABI_H
#define MICROSCOPE_ABI_H

#include <stdint.h>

#define MS_ABI_VERSION 1
#define MS_PAGE_SIZE 4096u

/* ---- Fixed addresses (identity-mapped guest physical = guest virtual) ---- */

#define MS_CONTROL_BLOCK_ADDRESS 0x1000u /* read-only to the guest */
#define MS_GDT_ADDRESS 0x2000u           /* read-only */
#define MS_IDT_ADDRESS 0x3000u           /* read-only; used by the KVM backend's fault stubs */
#define MS_FAULT_STACK_ADDRESS 0x4000u   /* 2 pages, the stack the fault stubs run on */
#define MS_FAULT_STACK_SIZE 0x2000u
#define MS_PAGE_TABLES_ADDRESS 0x8000u /* not mapped: the CPU reads them, the guest can't; PML4 first */
#define MS_ENGINE_CODE_ADDRESS                                      \
  0xff000u /* read-only, executable: the halt stub and fault stubs, \
              next to the image's code so both map as one range */
#define MS_HALT_ADDRESS MS_ENGINE_CODE_ADDRESS
/* Where `syscall` goes until the guest points LSTAR elsewhere: returns -ENOSYS (-38). */
#define MS_NO_SYSCALL_ADDRESS (MS_ENGINE_CODE_ADDRESS + 0xe00u)
#define MS_IMAGE_BASE 0x100000u /* where the ELF image starts (PIE images are moved here) */

/* ---- Ports the guest writes with `out dx, eax` ---- */

#define MS_PORT_HOST_CALL 0x6d00u /* a HOST_CALL frame waits in the output buffer */
#define MS_PORT_ABORT 0x6d01u     /* an ABORT frame waits in the output buffer; the call ends */
#define MS_PORT_FAULT                                                   \
  0x6d02u /* the engine's fault handlers: a CPU exception, its frame on \
             the fault stack (native/README.md, "Faults") */

/* What EAX holds when `out MS_PORT_HOST_CALL` returns. The host may not be able to answer
 * on the thread the guest runs on (a JS function that returns a promise); it then says
 * "again", moves the guest to a thread that can wait, and answers when the guest
 * executes the same `out` again. */
#define MS_HOST_CALL_DONE 0u  /* the HOST_RESULT frame is in the output buffer */
#define MS_HOST_CALL_AGAIN 1u /* execute the same `out` again */

/* ---- Value types ---- */

enum ms_type {
  MS_TYPE_VOID = 0, /* only as a return type */
  MS_TYPE_I32 = 1,
  MS_TYPE_U32 = 2,
  MS_TYPE_I64 = 3,
  MS_TYPE_U64 = 4,
  MS_TYPE_F64 = 5,
  MS_TYPE_BOOL = 6,
  MS_TYPE_STR = 7,   /* UTF-8 bytes, NUL-terminated in a frame (the NUL is not counted) */
  MS_TYPE_BYTES = 8, /* raw bytes */
  MS_TYPE_COUNT = 9
};

/* ---- The control block: tells the guest where everything is ---- */

#define MS_CONTROL_BLOCK_MAGIC 0x4243534du /* "MSCB" */

struct ms_control_block {
  uint32_t magic;
  uint16_t abi_version;
  uint16_t reserved;
  uint64_t memory_size; /* guest memory is [0, memory_size) */
  uint64_t image_base;  /* the ELF image is [image_base, image_end) */
  uint64_t image_end;
  uint64_t heap_base; /* the heap is [heap_base, heap_end) */
  uint64_t heap_end;
  uint64_t stack_base; /* the stack is [stack_base, stack_top); the page below is a guard */
  uint64_t stack_top;
  uint64_t input_buffer; /* host -> guest frames; read-only to the guest */
  uint64_t input_size;
  uint64_t output_buffer; /* guest -> host frames */
  uint64_t output_size;
  uint64_t halt_address; /* the engine's `hlt`; every entry returns there */
  uint64_t seed;         /* random per sandbox, for the guest's own use */
};

/* ---- Frames: the messages in the input and output buffers ----
 *
 * A frame is a header, `count` 16-byte slots, then a data area. A scalar lives in its
 * slot; a str or bytes slot holds the offset of its data from the start of the frame
 * and its length. str data is followed by a NUL inside the frame. Whoever reads a frame
 * checks every length and offset against the buffer it sits in.
 */

#define MS_FRAME_MAGIC 0x5246534du /* "MSFR" */

enum ms_frame_kind {
  MS_FRAME_CALL = 1,        /* host -> guest, input buffer: word = export record number, slots = arguments */
  MS_FRAME_RESULT = 2,      /* guest -> host, output buffer: one slot, for str and bytes results */
  MS_FRAME_HOST_CALL = 3,   /* guest -> host, output buffer: slot 0 = name (str), then arguments */
  MS_FRAME_HOST_RESULT = 4, /* host -> guest, output buffer: zero slots (void) or one */
  MS_FRAME_ABORT = 5        /* guest -> host, output buffer: word = code, slot 0 = message (str) */
};

struct ms_slot {
  uint8_t type; /* enum ms_type */
  uint8_t reserved[3];
  uint32_t length; /* str/bytes: data length in bytes; scalars: 0 */
  union {
    int64_t i64;  /* i32 sign-extended, i64 */
    uint64_t u64; /* u32 zero-extended, u64, bool (0 or 1) */
    double f64;
    uint64_t offset; /* str/bytes: data offset from the start of the frame */
  } as;
};

struct ms_frame {
  uint32_t magic;
  uint16_t version; /* MS_ABI_VERSION */
  uint16_t kind;    /* enum ms_frame_kind */
  uint32_t length;  /* bytes in the whole frame, header included */
  uint32_t count;   /* slots that follow */
  uint64_t word;    /* CALL: function index; ABORT: code (int32, sign-extended) */
  /* then `count` struct ms_slot, then the data area */
};

#define MS_FRAME_HEADER_SIZE 24u
#define MS_SLOT_SIZE 16u

/*
 * Results: a function returning i32/u32/i64/u64/bool leaves it in RAX and one returning
 * f64 in XMM0, as the SysV ABI does; only str and bytes results travel as a RESULT frame.
 * Guest stores are the emulator's slowest operation (about 70 ns each), and a scalar
 * result in a frame would cost more than the whole call of a small function.
 */

/* ---- Export records: the guest's functions, readable without running it ---- */

#define MS_EXPORTS_SECTION "microscope_exports"
#define MS_EXPORT_MAGIC 0x4e46534du /* "MSFN" */
#define MS_MAX_PARAMS 16u
#define MS_EXPORT_NAMES_SIZE 248u

/* The host reads `function` and `thunk` from guest memory after init (a PIE has
 * relocated them by then). A call whose arguments are all scalars and fit the SysV
 * argument registers (6 integer, 8 f64) starts at `function` with them there; any other
 * call starts at `thunk` with RDI = its CALL frame. */
struct ms_export {
  uint32_t magic;
  uint8_t version; /* MS_ABI_VERSION */
  uint8_t returns; /* enum ms_type */
  uint8_t param_count;
  uint8_t order;                    /* position in its source file, so the host lists functions as written */
  uint8_t params[MS_MAX_PARAMS];    /* enum ms_type of each parameter */
  char names[MS_EXPORT_NAMES_SIZE]; /* function name, then each parameter's, NUL-separated */
  uint64_t function;                /* the C function */
  uint64_t thunk;                   /* reads the arguments from a CALL frame, then tail-calls the function */
};

#define MS_EXPORT_SIZE 288u

#ifdef __cplusplus
static_assert(sizeof(ms_control_block) == 112, "control block layout");
static_assert(sizeof(ms_slot) == MS_SLOT_SIZE, "slot layout");
static_assert(sizeof(ms_frame) == MS_FRAME_HEADER_SIZE, "frame header layout");
static_assert(sizeof(ms_export) == MS_EXPORT_SIZE, "export record layout");
#else
_Static_assert(sizeof(struct ms_control_block) == 112, "control block layout");
_Static_assert(sizeof(struct ms_slot) == MS_SLOT_SIZE, "slot layout");
_Static_assert(sizeof(struct ms_frame) == MS_FRAME_HEADER_SIZE, "frame header layout");
_Static_assert(sizeof(struct ms_export) == MS_EXPORT_SIZE, "export record layout");
#endif

#endif /* MICROSCOPE_ABI_H */
