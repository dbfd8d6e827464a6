package io.sluice.security;

import java.util.List;

/** The live API tokens, by name. */
public record TokenList(List<TokenResponse> items) {}
