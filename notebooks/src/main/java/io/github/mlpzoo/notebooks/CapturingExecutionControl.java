package io.github.mlpzoo.notebooks;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.Method;
import java.util.Map;

/**
 * JShell execution in the kernel's JVM and thread that also keeps the value of the last executed snippet as an
 * object (JShell itself only reports its {@code toString}), so that a cell ending in an image shows the image.
 */
final class CapturingExecutionControl extends DirectExecutionControl {

    private Object lastValue;

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        Object value = doitMethod.invoke(null);
        lastValue = value;
        return valueString(value);
    }

    Object lastValue() {
        return lastValue;
    }

    void clear() {
        lastValue = null;
    }

    /** Hands JShell the one control of this kernel. */
    static final class Provider implements ExecutionControlProvider {
        private CapturingExecutionControl control;

        @Override
        public String name() {
            return "zoo-direct";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            control = new CapturingExecutionControl();
            return control;
        }

        CapturingExecutionControl control() {
            return control;
        }
    }
}
