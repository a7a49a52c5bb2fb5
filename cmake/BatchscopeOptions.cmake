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

# bs_project_target(<target>): warnings-as-errors and the shared include root.
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

# bs_core_library(<name> DIRS <dir>... [LIBS ...]): one static library per core concern, from
# the .cpp files directly in each <dir>; each concern builds (and breaks) on its own.
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
    target_include_directories(${name} INTERFACE ${PROJECT_SOURCE_DIR}/core)
    target_link_libraries(${name} INTERFACE ${ARG_LIBS})
    return()
  endif()
  add_library(${name} STATIC ${srcs})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/core)
  target_link_libraries(${name} PUBLIC ${ARG_LIBS})
  set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  bs_project_target(${name})
endfunction()
