# Compiler flags for project code only: third-party headers come in as system includes.
if(BATCHSCOPE_SANITIZE)
  add_compile_options(-fsanitize=${BATCHSCOPE_SANITIZE} -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=${BATCHSCOPE_SANITIZE})
  if(BATCHSCOPE_SANITIZE MATCHES "thread")
    # GCC warns that Asio's atomic_thread_fence is not instrumented; Asio's fences sit next to
    # the mutexes TSan does see, so the warning is noise here, not a project defect.
    add_compile_options(-Wno-tsan)
  endif()
  if(BATCHSCOPE_SANITIZE MATCHES "undefined")
    add_compile_options(-fno-sanitize-recover=undefined)
  endif()
endif()

if(BATCHSCOPE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "BATCHSCOPE_FUZZ=ON needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++")
  endif()
  if(BATCHSCOPE_SANITIZE)
    message(FATAL_ERROR "BATCHSCOPE_FUZZ=ON brings its own sanitizers: leave BATCHSCOPE_SANITIZE empty")
  endif()
  # Coverage instrumentation for everything the targets link; each target adds -fsanitize=fuzzer
  # (libFuzzer's main) itself (tests/fuzz/CMakeLists.txt).
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer -g)
  add_link_options(-fsanitize=address,undefined)
endif()

# bs_project_target(<target>): warnings as errors.
function(bs_project_target target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror
                         -Wnon-virtual-dtor -Wcast-align -Wunused -Woverloaded-virtual
                         -Wformat=2 -Wimplicit-fallthrough)
  # GCC 12's flow-based warnings fire at -O2/-O3 on code inlined from libstdc++ and Boost.Asio
  # (e.g. GCC PR105329 -Wrestrict in std::string, -Wmaybe-uninitialized on std::optional).
  # Optimised builds keep them as warnings; the Debug builds (tests, CI) still fail on them.
  set(optimiser_false_positives -Wno-error=maybe-uninitialized -Wno-error=restrict
      -Wno-error=array-bounds -Wno-error=stringop-overflow -Wno-error=stringop-overread)
  target_compile_options(${target} PRIVATE
                         "$<$<NOT:$<CONFIG:Debug>>:${optimiser_false_positives}>")
endfunction()

# bs_publish_headers(<target> <scope> <dir>...): <target>'s include root is its own folder in the
# build tree, ${CMAKE_BINARY_DIR}/include/<target>, holding links to the headers directly in
# each core/<dir> (not in its subfolders, which are other libraries: protocol/record,
# broker/storage). A library that does not link <target> cannot resolve "<dir>/x.h", so the
# compiler refuses an #include the layering (docs/ARCHITECTURE.md) does not allow.
function(bs_publish_headers target scope)
  set(root ${CMAKE_BINARY_DIR}/include/${target})
  file(REMOVE_RECURSE ${root})  # no links left to headers that were removed
  foreach(dir IN LISTS ARGN)
    file(GLOB headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/core/${dir}/*.h)
    file(MAKE_DIRECTORY ${root}/${dir})
    foreach(header IN LISTS headers)
      get_filename_component(file ${header} NAME)
      file(CREATE_LINK ${header} ${root}/${dir}/${file} SYMBOLIC)
    endforeach()
  endforeach()
  target_include_directories(${target} ${scope} ${root})
endfunction()

# bs_core_library(<name> DIRS <dir>... [LIBS ...]): one static library per core concern, from
# the .cpp files directly in each <dir>; each concern builds (and breaks) on its own, and
# publishes only its own headers (bs_publish_headers).
function(bs_core_library name)
  cmake_parse_arguments(ARG "" "" "DIRS;LIBS" ${ARGN})
  set(srcs)
  foreach(dir IN LISTS ARG_DIRS)
    file(GLOB dir_srcs CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/*.cpp)
    list(APPEND srcs ${dir_srcs})
  endforeach()
  if(NOT srcs)
    # A concern with no code yet still has a target, so dependents configure.
    add_library(${name} INTERFACE)
    bs_publish_headers(${name} INTERFACE ${ARG_DIRS})
    target_link_libraries(${name} INTERFACE ${ARG_LIBS})
    return()
  endif()
  add_library(${name} STATIC ${srcs})
  bs_publish_headers(${name} PUBLIC ${ARG_DIRS})
  target_link_libraries(${name} PUBLIC ${ARG_LIBS})
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  bs_project_target(${name})
endfunction()
