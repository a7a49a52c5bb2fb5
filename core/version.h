#pragma once

#include <string_view>

namespace bs {

// The project version, from CMake's project(VERSION ...).
std::string_view version();

}  // namespace bs
