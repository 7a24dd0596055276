// Performance claims.
