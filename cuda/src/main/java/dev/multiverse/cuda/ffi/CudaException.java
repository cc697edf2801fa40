package dev.multiverse.cuda.ffi;

/** A CUDA, NVRTC or cuBLAS call that failed: the message names the call and the error. */
public final class CudaException extends RuntimeException {
    public CudaException(String message) {
        super(message);
    }

    public CudaException(String message, Throwable cause) {
        super(message, cause);
    }
}
