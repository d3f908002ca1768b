# Install rules: the headers (into include/lull/), the archives, the lull
# command, pkg-config files and a CMake package. Everything installed is
# relocatable: the .pc files find their prefix from their own place
# (${pcfiledir}) and the CMake files from theirs, so `cmake --install
# BUILD --prefix DIR` works whatever prefix was configured.
include(CMakePackageConfigHelpers)

set(LULL_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/lull)

install(FILES ${LULL_PUBLIC_HEADERS} DESTINATION ${LULL_INSTALL_INCLUDEDIR})
install(TARGETS ${LULL_INSTALL_TARGETS} EXPORT lullTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT lullTargets NAMESPACE lull:: FILE lullTargets.cmake
  DESTINATION ${LULL_CMAKE_DIR})

configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/lullConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/lullConfig.cmake
  INSTALL_DESTINATION ${LULL_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/lullConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/lullConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/lullConfigVersion.cmake
  DESTINATION ${LULL_CMAKE_DIR})

# The way from the .pc files' folder up to the prefix ("../.." for
# lib/pkgconfig, "../../.." for lib/x86_64-linux-gnu/pkgconfig).
file(RELATIVE_PATH LULL_PC_TO_PREFIX
  /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" LULL_PC_TO_PREFIX "${LULL_PC_TO_PREFIX}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/lull-core.pc.in
  ${CMAKE_CURRENT_BINARY_DIR}/lull-core.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/lull-core.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
if(LULL_WITH_UV)
  configure_file(${CMAKE_CURRENT_LIST_DIR}/lull.pc.in
    ${CMAKE_CURRENT_BINARY_DIR}/lull.pc @ONLY)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/lull.pc
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()
