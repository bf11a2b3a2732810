{
  "targets": [
    {
      "target_name": "microscope",
      "sources": [
        "addon/addon.cpp",
        "addon/arguments.cpp",
        "addon/js_host_functions.cpp",
        "addon/js_registers.cpp",
        "addon/js_thread.cpp",
        "addon/js_values.cpp",
        "addon/sandbox_object.cpp",
        "addon/sandbox_state.cpp",
        "addon/vcpu_thread.cpp",
        "core/backend_choice.cpp",
        "core/elf_exports.cpp",
        "core/elf_image.cpp",
        "core/emulated/emulated_backend.cpp",
        "core/emulated/unicorn_registers.cpp",
        "core/errors.cpp",
        "core/frame.cpp",
        "core/fault_handlers.cpp",
        "core/guest_io.cpp",
        "core/guest_memory.cpp",
        "core/kvm/kvm_backend.cpp",
        "core/kvm/kvm_device.cpp",
        "core/kvm/kvm_registers.cpp",
        "core/layout.cpp",
        "core/measure.cpp",
        "core/outcome.cpp",
        "core/sandbox.cpp",
        "core/snapshots.cpp",
        "core/value.cpp",
        "core/watchdog.cpp"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++14"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-O2", "-Wall", "-Wextra", "-Werror",
                    "<!@(pkg-config --cflags unicorn)"],
      "libraries": ["<!@(pkg-config --libs unicorn)"]
    }
  ]
}
