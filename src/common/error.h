#pragma once
// Errors formbench reports to users. Every message says what was wrong and,
// where it can, what to do instead; the CLI prints it on one line (exit 2 for
// bad input, 1 for failures while running).
#include <stdexcept>
#include <string>

namespace fb {

// Something went wrong while doing valid work (a library failed, a file vanished).
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The user asked for something invalid: unknown name, bad value, impossible shape.
struct UsageError : Error {
  using Error::Error;
};

}  // namespace fb
