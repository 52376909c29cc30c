// The instruction shapes of lowered Sightglass code, measured by //bench:shape_census and checked
// in as bench/lowered_shapes.inc: a table for the generator's template mode
// (regalloc::RandomProgramOptions::templates) with the block and value facts measured beside it.
#pragma once

#include "regalloc/random_program.h"

namespace lathe::bench {

const regalloc::ProgramTemplates& LoweredShapes();

}  // namespace lathe::bench
