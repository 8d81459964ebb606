"""The optional C accelerator memflux._native (see memflux/_native.c).

It needs only Python's headers and memflux.h, and links to nothing: it calls
libmemflux through the addresses ctypes resolves. When it cannot be built the
package still installs and runs on ctypes alone.
"""
import pathlib

from setuptools import Extension, setup

here = pathlib.Path(__file__).resolve().parent
header_dir = here.parent.parent / "Sources" / "CMemFlux" / "include"

setup(
    ext_modules=[
        Extension(
            "memflux._native",
            sources=["memflux/_native.c"],
            include_dirs=[str(header_dir)],
            extra_compile_args=["-O2", "-Wall", "-Wextra", "-Wno-missing-field-initializers", "-Wno-cast-function-type"],
            optional=True,
        )
    ]
)
