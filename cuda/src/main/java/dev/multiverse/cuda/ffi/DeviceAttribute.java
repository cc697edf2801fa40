package dev.multiverse.cuda.ffi;

/** The {@code CUdevice_attribute} numbers the backend reads (from {@code cuda.h}). */
public final class DeviceAttribute {
    private DeviceAttribute() {}

    public static final int MULTIPROCESSOR_COUNT = 16;
    public static final int COMPUTE_CAPABILITY_MAJOR = 75;
    public static final int COMPUTE_CAPABILITY_MINOR = 76;
    public static final int MAX_SHARED_MEMORY_PER_BLOCK_OPTIN = 97;
}
