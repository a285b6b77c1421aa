//! Images: sources (OCI layout, archives, docker save, registries), streamed layers, the merged
//! filesystem view, the entrypoint and the executables inside. A fact module.
