package dev.stratus.app.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The value a setting has when neither the file, the environment nor the command line gives one, written as a user
 * would write it in the environment ({@code "64"}, {@code "true"}, seconds as {@code "2.5"}). A component without
 * it is absent (null) unless given.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Default {
    String value();
}
