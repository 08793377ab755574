/**
 * Deliberate violations of every LayeringTest rule, in packages named like the real ones: LayeringTest checks that
 * each rule, evaluated against this package, fails. Never imported by main code.
 */
package io.wxpayfn.archfixture;
