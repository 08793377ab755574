package io.wxpayfn.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * funqy-http makes a reader for every function's input type at start; each deployment serves one function, so the
 * deserializers of the others are built only if ever used, not on every cold start.
 */
@Singleton
public class LazyDeserializers implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.configure(DeserializationFeature.EAGER_DESERIALIZER_FETCH, false);
    }
}
