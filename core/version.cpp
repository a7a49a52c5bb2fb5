#include "version.h"

namespace bs {

std::string_view version() { return BATCHSCOPE_VERSION; }

}  // namespace bs
