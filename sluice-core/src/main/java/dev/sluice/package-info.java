/**
 * The entry points shared by all policies: {@link dev.sluice.Sluice}, {@link dev.sluice.Policy} and
 * {@link dev.sluice.PolicyChain}, and the exceptions they throw.
 */
@NullMarked
package dev.sluice;

import org.jspecify.annotations.NullMarked;
