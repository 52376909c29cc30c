"""isel_rules_library: compiles rules files (.isel) with //isel/dsl:dslc into a cc_library.

Usage:
    load("//isel/dsl:defs.bzl", "isel_rules_library")
    isel_rules_library(
        name = "lower_rules",
        srcs = ["lower.isel"],
        namespace = "lathe::x64::rules",
        includes = ["isa/x64/lower_types.h"],   # headers defining the extern C++ types
        deps = [":lower_types"],                # the cc_library providing those headers
    )
The library's header is `<package>/<name>.h`. Generated code is never committed.
"""

def isel_rules_library(name, srcs, namespace, includes = [], deps = [], visibility = None, testonly = False):
    header = name + ".h"
    source = name + ".cc"
    pkg = native.package_name()
    header_include = (pkg + "/" + header) if pkg else header
    include_flags = " ".join(["--include " + h for h in includes])
    native.genrule(
        name = name + "_gen",
        srcs = srcs,
        outs = [header, source],
        tools = ["//isel/dsl:dslc"],
        testonly = testonly,
        cmd = ("$(location //isel/dsl:dslc) gen $(SRCS) -o $(location %s) --header $(location %s) " +
               "--header-include %s --namespace %s %s") % (source, header, header_include, namespace, include_flags),
    )
    native.cc_library(
        name = name,
        srcs = [source],
        hdrs = [header],
        deps = deps,
        visibility = visibility,
        testonly = testonly,
    )
