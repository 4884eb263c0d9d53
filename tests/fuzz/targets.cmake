# Every fuzz target, one line each (docs/testing.md). NAME's harness is
# targets/NAME.cpp and its corpus corpus/NAME/. SOURCES are the project files
# (under src/) it needs beyond graph and models, for the clang build; LIBS are
# what those link. The g++ replay links the project's own libraries instead.
fb_fuzz_target(descriptor)
fb_fuzz_target(spec  SOURCES study/spec.cpp study/presets.cpp study/grid.cpp measure/config.cpp)
fb_fuzz_target(store SOURCES study/sqlite.cpp study/store.cpp study/store_schema.cpp study/store_open.cpp
                             study/store_claims.cpp study/store_export.cpp
                             study/machine.cpp study/grid.cpp measure/config.cpp measure/record.cpp
                     LIBS SQLite::SQLite3 fmt::fmt)
fb_fuzz_target(onnx_file)  # src/interop is in the core (models read onnx:PATH); not "onnx", the name of libonnx's CMake target
