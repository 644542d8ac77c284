# Every third-party dependency comes from Debian 12 packages (scripts/setup.sh installs them).
#
# Release builds link OpenSSL, SQLite, zlib, RE2 and yaml-cpp statically (CK_STATIC_DEPS). A shared
# library costs every process the pages its loader touches (symbol tables, relocated data, its
# constructors) even when the role never calls it: ~2.5 MB of a `ck dynamodb`'s 12 MB. Sanitizer
# and fuzz builds keep the shared libraries.
set(ck_static_default ON)
if(CK_SANITIZE OR CK_FUZZ)
  set(ck_static_default OFF)
endif()
option(CK_STATIC_DEPS "Link OpenSSL, SQLite, zlib, RE2 and yaml-cpp statically" ${ck_static_default})

find_package(Threads REQUIRED)
find_package(Boost 1.74 REQUIRED)
if(CK_STATIC_DEPS)
  set(OPENSSL_USE_STATIC_LIBS TRUE)
  set(ZLIB_USE_STATIC_LIBS ON)
  find_library(SQLite3_LIBRARY NAMES libsqlite3.a REQUIRED)
endif()
find_package(OpenSSL REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(ZLIB REQUIRED)
if(CK_STATIC_DEPS)
  # The static SQLite needs libm (math functions) and the dynamic loader (extensions).
  set_property(TARGET SQLite::SQLite3 APPEND PROPERTY INTERFACE_LINK_LIBRARIES m ${CMAKE_DL_LIBS} Threads::Threads)
endif()
find_package(nlohmann_json 3.10 REQUIRED)
find_package(fmt REQUIRED)
find_package(GTest REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)
if(CK_STATIC_DEPS)
  find_library(CK_RE2_STATIC NAMES libre2.a REQUIRED)
  find_library(CK_YAML_CPP_STATIC NAMES libyaml-cpp.a REQUIRED)
  set_property(TARGET PkgConfig::RE2 PROPERTY INTERFACE_LINK_LIBRARIES ${CK_RE2_STATIC} Threads::Threads)
  set_target_properties(yaml-cpp PROPERTIES IMPORTED_LOCATION ${CK_YAML_CPP_STATIC}
                                            IMPORTED_LOCATION_NONE ${CK_YAML_CPP_STATIC})
endif()
find_package(CLI11 CONFIG QUIET)
if(NOT CLI11_FOUND)
  add_library(CLI11::CLI11 INTERFACE IMPORTED)
endif()
