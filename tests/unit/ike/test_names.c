/* test_names.c: name tables against IANA/RFC values (as Wireshark 4.0 and libreswan also name them). */
#include <criterion/criterion.h>
#include <string.h>

#include "ike/names.h"

struct num_name {
    uint8_t version;
    uint32_t value;
    const char *name;
};

static const struct num_name notifies[] = {
    { 2, 1, "UNSUPPORTED_CRITICAL_PAYLOAD" }, { 2, 4, "INVALID_IKE_SPI" },
    { 2, 5, "INVALID_MAJOR_VERSION" }, { 2, 7, "INVALID_SYNTAX" }, { 2, 9, "INVALID_MESSAGE_ID" },
    { 2, 11, "INVALID_SPI" }, { 2, 14, "NO_PROPOSAL_CHOSEN" }, { 2, 17, "INVALID_KE_PAYLOAD" },
    { 2, 24, "AUTHENTICATION_FAILED" }, { 2, 34, "SINGLE_PAIR_REQUIRED" },
    { 2, 35, "NO_ADDITIONAL_SAS" }, { 2, 36, "INTERNAL_ADDRESS_FAILURE" },
    { 2, 37, "FAILED_CP_REQUIRED" }, { 2, 38, "TS_UNACCEPTABLE" }, { 2, 39, "INVALID_SELECTORS" },
    { 2, 40, "UNACCEPTABLE_ADDRESSES" }, { 2, 41, "UNEXPECTED_NAT_DETECTED" },
    { 2, 42, "USE_ASSIGNED_HoA" }, { 2, 43, "TEMPORARY_FAILURE" }, { 2, 44, "CHILD_SA_NOT_FOUND" },
    { 2, 45, "INVALID_GROUP_ID" }, { 2, 46, "AUTHORIZATION_FAILED" }, { 2, 47, "STATE_NOT_FOUND" },
    { 2, 48, "TS_MAX_QUEUE" }, { 2, 49, "REGISTRATION_FAILED" },
    { 2, 16384, "INITIAL_CONTACT" }, { 2, 16385, "SET_WINDOW_SIZE" },
    { 2, 16386, "ADDITIONAL_TS_POSSIBLE" }, { 2, 16387, "IPCOMP_SUPPORTED" },
    { 2, 16388, "NAT_DETECTION_SOURCE_IP" }, { 2, 16389, "NAT_DETECTION_DESTINATION_IP" },
    { 2, 16390, "COOKIE" }, { 2, 16391, "USE_TRANSPORT_MODE" },
    { 2, 16392, "HTTP_CERT_LOOKUP_SUPPORTED" }, { 2, 16393, "REKEY_SA" },
    { 2, 16394, "ESP_TFC_PADDING_NOT_SUPPORTED" }, { 2, 16395, "NON_FIRST_FRAGMENTS_ALSO" },
    { 2, 16396, "MOBIKE_SUPPORTED" }, { 2, 16404, "MULTIPLE_AUTH_SUPPORTED" },
    { 2, 16406, "REDIRECT_SUPPORTED" }, { 2, 16417, "EAP_ONLY_AUTHENTICATION" },
    { 2, 16418, "CHILDLESS_IKEV2_SUPPORTED" }, { 2, 16420, "IKEV2_MESSAGE_ID_SYNC_SUPPORTED" },
    { 2, 16430, "IKEV2_FRAGMENTATION_SUPPORTED" }, { 2, 16431, "SIGNATURE_HASH_ALGORITHMS" },
    { 2, 16435, "USE_PPK" }, { 2, 16436, "PPK_IDENTITY" }, { 2, 16437, "NO_PPK_AUTH" },
    { 2, 16438, "INTERMEDIATE_EXCHANGE_SUPPORTED" }, { 2, 16441, "ADDITIONAL_KEY_EXCHANGE" },
    { 2, 16442, "USE_AGGFRAG" },
    { 1, 1, "INVALID_PAYLOAD_TYPE" }, { 1, 14, "NO_PROPOSAL_CHOSEN" },
    { 1, 18, "INVALID_ID_INFORMATION" }, { 1, 24, "AUTHENTICATION_FAILED" },
    { 1, 25, "INVALID_SIGNATURE" }, { 1, 30, "UNEQUAL_PAYLOAD_LENGTHS" },
    { 1, 16384, "CONNECTED" }, { 1, 24576, "RESPONDER_LIFETIME" }, { 1, 24577, "REPLAY_STATUS" },
    { 1, 24578, "INITIAL_CONTACT" }, { 1, 36136, "R_U_THERE" }, { 1, 36137, "R_U_THERE_ACK" },
    { 1, 40501, "UNITY_LOAD_BALANCE" },
};

Test(names, notify_types)
{
    char b[IKE_NAME_BUF];
    for (size_t i = 0; i < sizeof notifies / sizeof notifies[0]; i++) {
        const struct num_name *n = &notifies[i];
        cr_expect_str_eq(ike_notify_name(n->version, (uint16_t)n->value, b, sizeof b), n->name,
                         "v%u notify %u", n->version, n->value);
        cr_expect(ike_notify_known(n->version, (uint16_t)n->value));
    }
    cr_expect_str_eq(ike_notify_name(2, 2, b, sizeof b), "UNKNOWN(2)");
    cr_expect_str_eq(ike_notify_name(1, 31, b, sizeof b), "UNKNOWN(31)");
    cr_expect_not(ike_notify_known(2, 2));
}

Test(names, notify_error_ranges)
{
    cr_expect(ike_notify_is_error(2, 14));
    cr_expect(ike_notify_is_error(2, 16383));
    cr_expect_not(ike_notify_is_error(2, 16384));
    cr_expect_not(ike_notify_is_error(2, 0));
    cr_expect(ike_notify_is_error(1, 14));
    cr_expect(ike_notify_is_error(1, 8191));
    cr_expect_not(ike_notify_is_error(1, 8192));
    cr_expect_not(ike_notify_is_error(1, 24578));
    cr_expect_not(ike_notify_is_error(1, 36136));
}

static const struct num_name exchanges[] = {
    { 2, 34, "IKE_SA_INIT" }, { 2, 35, "IKE_AUTH" }, { 2, 36, "CREATE_CHILD_SA" },
    { 2, 37, "INFORMATIONAL" }, { 2, 38, "IKE_SESSION_RESUME" }, { 2, 39, "GSA_AUTH" },
    { 2, 40, "GSA_REGISTRATION" }, { 2, 41, "GSA_REKEY" }, { 2, 43, "IKE_INTERMEDIATE" },
    { 2, 44, "IKE_FOLLOWUP_KE" }, { 2, 2, "UNKNOWN(2)" },
    { 1, 1, "BASE" }, { 1, 2, "MAIN_MODE" }, { 1, 3, "AUTH_ONLY" }, { 1, 4, "AGGRESSIVE_MODE" },
    { 1, 5, "INFORMATIONAL" }, { 1, 6, "TRANSACTION" }, { 1, 32, "QUICK_MODE" },
    { 1, 33, "NEW_GROUP" }, { 1, 34, "UNKNOWN(34)" },
};

Test(names, exchange_types)
{
    char b[IKE_NAME_BUF];
    for (size_t i = 0; i < sizeof exchanges / sizeof exchanges[0]; i++)
        cr_expect_str_eq(ike_exchange_name(exchanges[i].version, (uint8_t)exchanges[i].value, b,
                                           sizeof b),
                         exchanges[i].name);
}

Test(names, transforms_and_groups)
{
    char b[IKE_NAME_BUF];
    cr_expect_str_eq(ike_transform_id_name(1, 12, b, sizeof b), "ENCR_AES_CBC");
    cr_expect_str_eq(ike_transform_id_name(1, 13, b, sizeof b), "ENCR_AES_CTR");
    cr_expect_str_eq(ike_transform_id_name(1, 14, b, sizeof b), "ENCR_AES_CCM_8");
    cr_expect_str_eq(ike_transform_id_name(1, 20, b, sizeof b), "ENCR_AES_GCM_16");
    cr_expect_str_eq(ike_transform_id_name(1, 28, b, sizeof b), "ENCR_CHACHA20_POLY1305");
    cr_expect_str_eq(ike_transform_id_name(1, 3, b, sizeof b), "ENCR_3DES");
    cr_expect_str_eq(ike_transform_id_name(1, 11, b, sizeof b), "ENCR_NULL");
    cr_expect_str_eq(ike_transform_id_name(2, 5, b, sizeof b), "PRF_HMAC_SHA2_256");
    cr_expect_str_eq(ike_transform_id_name(3, 12, b, sizeof b), "AUTH_HMAC_SHA2_256_128");
    cr_expect_str_eq(ike_transform_id_name(4, 14, b, sizeof b), "MODP_2048");
    cr_expect_str_eq(ike_transform_id_name(4, 19, b, sizeof b), "ECP_256");
    cr_expect_str_eq(ike_transform_id_name(4, 31, b, sizeof b), "CURVE25519");
    cr_expect_str_eq(ike_transform_id_name(6, 36, b, sizeof b), "ML_KEM_768");
    cr_expect_str_eq(ike_transform_id_name(5, 1, b, sizeof b), "ESN");
    cr_expect_str_eq(ike_transform_id_name(1, 17, b, sizeof b), "UNKNOWN(17)");
    cr_expect_str_eq(ike_transform_type_name(4, b, sizeof b), "KE");
    cr_expect(ike_encr_is_aead(20));
    cr_expect_not(ike_encr_is_aead(12));
    for (uint16_t g = 1; g <= 32; g++) {
        if ((g >= 6 && g <= 13))
            continue; /* unassigned / EC2N for IKEv1 only */
        cr_expect(strncmp(ike_dh_group_name(g, b, sizeof b), "UNKNOWN", 7) != 0, "group %u", g);
    }
}

Test(names, ikev1_attributes)
{
    char b[IKE_NAME_BUF];
    cr_expect_str_eq(ike_v1_oakley_value_name(IKE1_OAK_ENCR, 7, b, sizeof b), "AES_CBC");
    cr_expect_str_eq(ike_v1_oakley_value_name(IKE1_OAK_ENCR, 5, b, sizeof b), "3DES_CBC");
    cr_expect_str_eq(ike_v1_oakley_value_name(IKE1_OAK_HASH, 2, b, sizeof b), "SHA");
    cr_expect_str_eq(ike_v1_oakley_value_name(IKE1_OAK_AUTH, 1, b, sizeof b), "PRE_SHARED_KEY");
    cr_expect_str_eq(ike_v1_oakley_value_name(IKE1_OAK_AUTH, 3, b, sizeof b), "RSA_SIGNATURES");
    cr_expect_str_eq(ike_v1_oakley_value_name(IKE1_OAK_AUTH, 65001, b, sizeof b),
                     "XAUTH_INIT_PRESHARED");
    cr_expect_str_eq(ike_v1_oakley_value_name(IKE1_OAK_GROUP_DESC, 2, b, sizeof b), "MODP_1024");
    cr_expect_str_eq(ike_v1_oakley_value_name(IKE1_OAK_LIFE_TYPE, 1, b, sizeof b), "SECONDS");
    cr_expect_str_eq(ike_v1_oakley_value_name(IKE1_OAK_LIFE_DURATION, 28800, b, sizeof b), "28800");
    cr_expect_str_eq(ike_v1_oakley_attr_name(14, b, sizeof b), "Key Length");
    cr_expect_str_eq(ike_v1_ipsec_value_name(IKE1_IPSEC_ENCAP_MODE, 3, b, sizeof b), "UDP_TUNNEL");
    cr_expect_str_eq(ike_v1_ipsec_value_name(IKE1_IPSEC_AUTH_ALG, 2, b, sizeof b), "HMAC_SHA");
    cr_expect_str_eq(ike_v1_transform_id_name(1, 1, b, sizeof b), "KEY_IKE");
    cr_expect_str_eq(ike_v1_transform_id_name(3, 12, b, sizeof b), "ESP_AES_CBC");
    cr_expect_str_eq(ike_v1_transform_id_name(2, 3, b, sizeof b), "AH_SHA");
}

Test(names, ids_certs_auth)
{
    char b[IKE_NAME_BUF];
    cr_expect_str_eq(ike_id_type_name(2, 1, b, sizeof b), "ID_IPV4_ADDR");
    cr_expect_str_eq(ike_id_type_name(2, 2, b, sizeof b), "ID_FQDN");
    cr_expect_str_eq(ike_id_type_name(2, 3, b, sizeof b), "ID_RFC822_ADDR");
    cr_expect_str_eq(ike_id_type_name(2, 5, b, sizeof b), "ID_IPV6_ADDR");
    cr_expect_str_eq(ike_id_type_name(2, 9, b, sizeof b), "ID_DER_ASN1_DN");
    cr_expect_str_eq(ike_id_type_name(2, 10, b, sizeof b), "ID_DER_ASN1_GN");
    cr_expect_str_eq(ike_id_type_name(2, 11, b, sizeof b), "ID_KEY_ID");
    cr_expect_str_eq(ike_id_type_name(2, 4, b, sizeof b), "UNKNOWN(4)");
    cr_expect_str_eq(ike_id_type_name(1, 4, b, sizeof b), "ID_IPV4_ADDR_SUBNET");
    cr_expect_str_eq(ike_id_type_name(1, 3, b, sizeof b), "ID_USER_FQDN");
    cr_expect_str_eq(ike_cert_encoding_name(2, 4, b, sizeof b), "X.509 Certificate - Signature");
    cr_expect_str_eq(ike_cert_encoding_name(2, 12, b, sizeof b), "Hash and URL of X.509 certificate");
    cr_expect_str_eq(ike_auth_method_name(1, b, sizeof b), "RSA Digital Signature");
    cr_expect_str_eq(ike_auth_method_name(2, b, sizeof b), "Shared Key Message Integrity Code");
    cr_expect_str_eq(ike_auth_method_name(14, b, sizeof b), "Digital Signature");
    cr_expect_str_eq(ike_auth_method_name(9, b, sizeof b), "ECDSA with SHA-256 on the P-256 curve");
    cr_expect_str_eq(ike_ts_type_name(7, b, sizeof b), "TS_IPV4_ADDR_RANGE");
    cr_expect_str_eq(ike_cfg_attr_name(2, 1, b, sizeof b), "INTERNAL_IP4_ADDRESS");
    cr_expect_str_eq(ike_cfg_attr_name(1, 16521, b, sizeof b), "XAUTH_USER_NAME");
    cr_expect_str_eq(ike_eap_type_name(26, b, sizeof b), "EAP-MSCHAPv2");
    cr_expect_str_eq(ike_protocol_name(2, 3, b, sizeof b), "ESP");
    cr_expect_str_eq(ike_protocol_name(1, 1, b, sizeof b), "PROTO_ISAKMP");
}

Test(names, payload_names)
{
    char b[IKE_NAME_BUF];
    cr_expect_str_eq(ike_payload_type_name(2, 46, b, sizeof b), "Encrypted and Authenticated");
    cr_expect_str_eq(ike_payload_type_name(1, 132, b, sizeof b), "Fragment");
    cr_expect_str_eq(ike_payload_short_name(1, 20, b, sizeof b), "NAT-D");
    cr_expect(ike_payload_type_known(2, 53));
    cr_expect_not(ike_payload_type_known(2, 13));
    cr_expect_not(ike_payload_type_known(1, 0));
}

Test(names, buffers)
{
    char small[5];
    cr_expect_str_eq(ike_notify_name(2, 14, small, sizeof small), "NO_P");
    cr_expect_str_eq(ike_notify_name(2, 14, NULL, 0), "NO_PROPOSAL_CHOSEN");
    cr_expect_str_eq(ike_notify_name(2, 2, NULL, 0), "UNKNOWN");
    char one[1] = { 'x' };
    cr_expect_str_eq(ike_notify_name(2, 2, one, 1), "");
}

Test(names, hex_is_lowercase_and_stops_on_a_whole_byte)
{
    const uint8_t spi[8] = { 0x00, 0x1f, 0xa0, 0xff, 0x12, 0x34, 0xab, 0xcd };
    char out[17];
    cr_assert_str_eq(ike_hex(spi, 8, out, sizeof out), "001fa0ff1234abcd");
    char shorter[6];
    cr_assert_str_eq(ike_hex(spi, 8, shorter, sizeof shorter), "001f", "two whole bytes fit in 6");
    cr_assert_str_eq(ike_hex(spi, 0, out, sizeof out), "");
}

Test(names, copy_truncates_like_snprintf)
{
    char out[5];
    cr_assert_str_eq(ike_copy(out, sizeof out, "IKE_AUTH"), "IKE_");
    cr_assert_str_eq(ike_copy(out, sizeof out, "SA"), "SA");
    cr_assert_str_eq(ike_copy(out, 1, "SA"), "");
}
