package io.wxpayfn.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wxpayfn.order.Product;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the catalogue file named by CATALOGUE_PATH, which the store is seeded from: a JSON array of
 * {@code {"id","name","price"(fen),"active"?,"subMchid"?}}. Prices live only here and in the store, never in a
 * request; so does the sub-merchant a product is sold by in partner mode (a configured one; none in direct mode).
 */
public final class CatalogueFile {

    private static final String VARIABLE = "CATALOGUE_PATH";

    private CatalogueFile() {}

    /**
     * @param subMchids the configured sub-merchants (partner mode), empty in direct mode
     * @return the products the file lists, checked
     */
    static List<Product> parse(Path file, List<String> subMchids) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            throw new ConfigurationException(
                    VARIABLE,
                    file + " is not valid JSON (line " + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new ConfigurationException(VARIABLE, file + " cannot be read");
        }
        if (root == null || !root.isArray()) {
            throw new ConfigurationException(VARIABLE, file + " must hold a JSON array of products");
        }
        List<Product> products = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode p = root.get(i);
            String where = file + " entry " + i;
            if (!p.path("id").isTextual()
                    || !Product.ID.matcher(p.path("id").textValue()).matches()) {
                throw new ConfigurationException(VARIABLE, where + ": id must be " + Product.ID_FORM);
            }
            if (!p.path("name").isTextual() || p.path("name").textValue().isBlank()) {
                throw new ConfigurationException(VARIABLE, where + ": name is required");
            }
            if (!p.path("price").isIntegralNumber() || p.path("price").longValue() <= 0) {
                throw new ConfigurationException(VARIABLE, where + ": price must be a positive whole number of fen");
            }
            String subMchid = p.hasNonNull("subMchid") ? p.get("subMchid").asText() : null;
            if (subMchid != null && !subMchids.contains(subMchid)) {
                throw new ConfigurationException(
                        VARIABLE,
                        where + ": subMchid " + subMchid + " is not "
                                + (subMchids.isEmpty()
                                        ? "for a direct merchant (WECHATPAY_MODE=partner names sub-merchants)"
                                        : "one of WECHATPAY_SUB_MERCHANTS"));
            }
            if (subMchid == null && subMchids.size() > 1) {
                throw new ConfigurationException(
                        VARIABLE, where + ": subMchid is required, since several" + " sub-merchants are configured");
            }
            products.add(new Product(
                    p.get("id").textValue(),
                    p.get("name").textValue(),
                    p.get("price").longValue(),
                    p.path("active").asBoolean(true),
                    subMchid));
        }
        return products;
    }
}
