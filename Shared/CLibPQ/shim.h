#ifndef GRIDMESH_CLIBPQ_SHIM_H
#define GRIDMESH_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
