package dev.stratus.imaging;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * A shared library from the operating system, opened once for the life of the process, or its absence with the Debian
 * package that would provide it (the syntaxes it serves then answer "not supported", naming the package).
 */
final class NativeLibrary {
    private final SymbolLookup lookup;
    private final String missing;
    final String name;
    final String debianPackage;

    private NativeLibrary(String name, String debianPackage, SymbolLookup lookup, String missing) {
        this.name = name;
        this.debianPackage = debianPackage;
        this.lookup = lookup;
        this.missing = missing;
    }

    static NativeLibrary open(String soname, String debianPackage) {
        try {
            return new NativeLibrary(soname, debianPackage, SymbolLookup.libraryLookup(soname, Arena.global()), null);
        } catch (IllegalArgumentException | IllegalCallerException e) {
            return new NativeLibrary(soname, debianPackage, null, e.getMessage());
        }
    }

    boolean available() { return lookup != null; }

    /** Why it is absent, as a user can act on it. */
    String absence() {
        return soname() + " is not installed (apt-get install " + debianPackage + ")" + (missing == null ? "" : ": " + missing);
    }

    private String soname() { return name; }

    MethodHandle function(String symbol, FunctionDescriptor descriptor) {
        MemorySegment address = lookup.find(symbol).orElseThrow(() -> new IllegalStateException(name + " has no function " + symbol));
        return Linker.nativeLinker().downcallHandle(address, descriptor);
    }
}
