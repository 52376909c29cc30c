"""re2c_cc: turns a re2c `.re` lexer specification into a C++ source file.

re2c comes from the Debian package `re2c` (third_party/install_deps.sh installs it).
Usage:
    load("//third_party:re2c.bzl", "re2c_cc")
    re2c_cc(name = "lexer_gen", src = "lexer.re", out = "lexer.cc")
then list ":lexer_gen" in a cc_library's srcs.
"""

def re2c_cc(name, src, out, flags = []):
    native.genrule(
        name = name,
        srcs = [src],
        outs = [out],
        # -W: all warnings; -Werror: a lexer spec with an unreachable rule or a
        # character class overlap fails the build instead of silently misbehaving.
        cmd = "re2c -W -Werror --no-generation-date --no-version %s -o $@ $<" % " ".join(flags),
    )
