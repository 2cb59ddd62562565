// SPDX-License-Identifier: GPL-2.0
/*
 * IKEv1 key derivation tests.
 *
 * SKEYID, SKEYID_d, SKEYID_a and SKEYID_e against the NIST CAVP SP
 * 800-135 IKEv1 KDF vectors (CAVS 17.3, "IKE v1 Pre-shared Key
 * Authentication" and "IKE v1 Digital Signature Authentication",
 * generated 2015-02-09), COUNT = 0 of several groups, values copied
 * from the response files that NSS ships in
 * tests/fips/cavs_samples/IKE/fax/ikev1_psk.fax and ikev1_dsa.fax
 * (nss-dev/nss 9d75dfde2e79); libreswan's programs/cavp test runs carry
 * the same SHA-1 COUNT = 0 values.
 *
 * HASH_I/R, KEYMAT, Ka, the IVs and the Quick Mode hashes have no
 * published vectors: they are checked against the RFC 2409 formulas
 * written out again here with OpenSSL one-shot calls (EVP_Q_mac,
 * EVP_Digest) over explicit concatenations, independent of kdf.c's
 * piecewise ike_prf calls.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>

#include "ikev1/kdf.h"
#include "ikev2/ikev2_const.h"
#include "hex.h"

struct cavp {
	uint16_t prf;
	const char *cky_i, *cky_r, *ni, *nr, *gxy, *psk;
	const char *skeyid, *skeyid_d, *skeyid_a, *skeyid_e;
};

static const struct cavp psk_vectors[] = {
	{ /* SHA-1, g^xy 256 bits, nonces 64 bits, COUNT = 0 */
		IKEV2_PRF_HMAC_SHA1,
		"83d374c30b3b5082",
		"5afc0da06c728029",
		"b9a2d0e922dc66dd",
		"2130166863b5ddef",
		"739003ba2c11c982946c65e26acf661fbf8ebb78011a9fead79efa12"
		"fe3e71cc",
		"75",
		"62b04d112877e442fc3282fc37c076997718a0b9",
		"369e5aad1bdb5faf6a3d929d500cdc236710a9ab",
		"588e957d8d790d093b3a39f121473473af78e9bb",
		"cd74b0c048219db81384d3fda8f6cda51e398a2b",
	},
	{ /* SHA-256, g^xy 256 bits, nonces 64 bits, COUNT = 0 */
		IKEV2_PRF_HMAC_SHA2_256,
		"4e30e8d4da0fecbf",
		"cf8ce1348665f112",
		"ead9ced494868f41",
		"f1aff4f425a94f18",
		"ea6c7c00e276d86adace3368f0c8245c3e486b8c6c1474a533b7da3b"
		"9c9b3f1f",
		"a0",
		"558a99b299773d267cf7c8ef073bf3b7af362c206c75a538403c5ef8"
		"84d4cace",
		"3b4bb2bf33fc3f002c84f59370f39ac705ea8efd299f64aaf723b799"
		"5a2b1560",
		"c78ad634ec47feee88cda902731e731eb594114db6a1882bc2c948ee"
		"9765958c",
		"33b10be0f43bc5984a86a1470c48ece12290915589b8c73fa5c7b8fa"
		"f2bb6503",
	},
	{ /* SHA-384, g^xy 256 bits, nonces 64 bits, COUNT = 0 */
		IKEV2_PRF_HMAC_SHA2_384,
		"9ccc539d30d4f929",
		"a88216c6e1824511",
		"d6596b7e5b398534",
		"136fbdfa8d0ceb8e",
		"b2d1434e169be2b6463f65c958ebc51a3f2da220bbe66b7d7a7d14ca"
		"4a7724c7",
		"9e",
		"b54fa27cb4251051e44a659d73591845691d11f1874bf4e4088e5df6"
		"462d28e57a3a2af3ab4f9b746a8f5766f8785f2b",
		"5d168e1223d7e375b159ce3ead6aa46a194b59e96168db061ea571b8"
		"7edf843f26ea41e5b54b23a6f5a037318830640d",
		"04cdf9df4afa53d3884624f7612768a0e4a01c1c5471315c5c998678"
		"31be20b4a55efbce9091c9eb69741d704dfe5e74",
		"3849065ad3f9ab2ec0f61c5c61b0ccc04f77d9ee5092a132f679972d"
		"c9c75c9334aff957b4cbbaf54cb65dfae1b55417",
	},
	{ /* SHA-512, g^xy 256 bits, nonces 64 bits, COUNT = 0 */
		IKEV2_PRF_HMAC_SHA2_512,
		"2ce3422d3dcba7f5",
		"82ca94cbe7b77049",
		"482a05eca86fba51",
		"84ee19d02272de2e",
		"aea3ae089168001f2e4bd693bc8303ad094b71ec57921bb0f9d1252c"
		"09c46ed1",
		"4c",
		"5bcb5499ae4c1437ce6c195392bf26bf7980a59bcb787a0b58671771"
		"a3d4b06dc1eb7809241b7e5931740b05bf8a9873bb493c5f067e28e4"
		"f58ab65c3dbe44cd",
		"7be2bdc8c03d05b5932b95387cad909718dace7bf9e4eeacbaae431d"
		"6521828b70f8a6011640927eae4ebbf72f3dd154040b7ee7ed2fc156"
		"83190d3da50ac7e6",
		"75149f3f671435eafafb3868eff58a6367ebbb50006c8723ccead82f"
		"e49967651decf63a079b0ffaa241eb341a90d612876e76866450739e"
		"49f88ba306861b73",
		"39dd0670384325de75cc2dbd681d15423b630e93e5fefb0224f1defc"
		"a1a9b0fdda61f8c922428b00cde4c386c4ca8898a48969e4c19f1fe3"
		"0899a6260c5d8d46",
	},
	{ /* SHA-256, g^xy 256 bits, nonces 2048 bits, COUNT = 0 */
		IKEV2_PRF_HMAC_SHA2_256,
		"cef00e27d201b743",
		"a9f866a0ee47154c",
		"754d8b470aef2ee7d9ebc2f993230feab96b55cc0983be34c47bccd4"
		"af2ecfabb6fca757aa2a9b7c32ba000d943cfd2aabb3bca91e62bfd9"
		"1d7357023e79a35124b9bbd469c7230aceb7f8cafe3ca06344072b30"
		"f38a1e1c442282b2afcc6dc46ed9caec67439957b60fdd5a685af4c6"
		"0e8e22d1523473a92f8c9b272b2ef54a366432cbdb7fdac36b97b878"
		"e7ec1b4f3023bdbbb8f6465cbc0ab1b1371ab9e22e821ec4984cc11a"
		"1ec3a82796d5934bc3a3f34350c1e04cb204cb7180cc179e34e8f781"
		"c31fed51b50391cec5333d089ce409843ffcb12cd360185e97f60a01"
		"36fc719eaf39244b2c44f73bd3ce2e9f67a74891e729e94efdfb467f"
		"3c66575e",
		"b68de83a011314c1e2f846b834d4b7239f3a3e269c39995af251d908"
		"8da4a0f8f826be762fcdba7aaae8ad3d61dddc6924a219ac82027846"
		"14c1c5003b7b199126b00f518d59c61a7bcbce207e779d7aefd31fe4"
		"6748ca03e3e4a023859da2270fa23756ed359d2747c66f302387f3c8"
		"fc1f38b2ceef1337b7d2b8e69df16e3b24cb53f785dfb7a14b7529cf"
		"ac6901c21588b0207143133db8a8c43b00477714c96cc1a009961e5b"
		"511d9674304b9ff78d7625b23d11a75d8aeef1d9ddaa14d338c71604"
		"911793d532c78e1fdc32751253e6945689213c54c91340d4e17800c3"
		"281983b63df2d0cdb3d15964887a6b5d9f12147eacbf4947fe563884"
		"405fd567",
		"9f7e3fd7e33e01d419094ea3b0b43d273d41ecd1ed00c2129720543c"
		"339c52d7",
		"65d2c5c0363143554d8513c86d1ebb7b478a41f308f0aee3e1acb0a2",
		"fe3db842d5ab1cc9ac05a1a707d1e39ec0bd081a1401f44a2e1d3e15"
		"55ba2593",
		"4f1a1a9d9e0c0929a8b97a9a8a642771fcc61552067a91a04f9d1c25"
		"7771339c",
		"c544b86c56ef4009599ed9bbf36814f8e6001b14746b11f2e656a15d"
		"26b3501c",
		"b15f397fb1b3537a7384b592d6c7d985a1ed7deda270db035d271b19"
		"72b9f38d",
	},
	{ /* SHA-1, g^xy 2048 bits, nonces 64 bits, COUNT = 0 */
		IKEV2_PRF_HMAC_SHA1,
		"e8bbc995e70cc390",
		"6b4c4c8303c9caf7",
		"b9ebb54a863ac278",
		"426b751a44465856",
		"73c4a9626fcac2411e8f2fc583f4cf7b7c1e0e61deac20b2820c0770"
		"b12c377835bf5f4b130168a8d2a933e0ea282bf26b71778a2cef478a"
		"0e60f79e618720ae9b9ba7f75aba7eee86897d0d5a5fac3f5c947808"
		"84416fcbd96a28574dd13e86a46ea78d1b97ec1d7ff5ba99af48301a"
		"49b6a5f90239d22dce9c8c658a3df439d6f3ea291d9067d0a6770221"
		"140d6c62eebaaddddfda56a4e92f3ac36de357772e1f2d688206f8c6"
		"2b85c076ef99d721fe7d344f5117d7c1499ac148697036c6f358bc6b"
		"2aa176dd8dee05979b4715a58f8e20062b3191fe0604893bb781dd22"
		"3c032984f5889b987b08e74a1225ec325948d913bd2562e7608142d4"
		"d5a1351b",
		"1b",
		"420180cc4c76ec5e810781341c0e29f37c648c77",
		"d37b1d862f4f31ed2accfce0e8f3d2808bde2097",
		"4038e6fe1623ae5e183acd1a3137d39420399a7c",
		"ac534425054482ae627443d8c718b27bad4f048d",
	},
	{ /* SHA-512, g^xy 8192 bits, nonces 64 bits, COUNT = 0 */
		IKEV2_PRF_HMAC_SHA2_512,
		"3151dca182b738a2",
		"6f6027ee537ccc52",
		"57bfbd7e36327e33",
		"0fd4123da8a8a241",
		"d2b83a942aa226be1f44d89961a75365593593baa943c658d893a820"
		"d29d03580b11418bc3a038c5265eeb576ffc1bae2c71d617b784d3d7"
		"e5af1a16772cfb8ff422c8c1608760868ab7abe4f22a4e3c34516e70"
		"a124bf4110fd5a21af36f19dc3179dbb14cb132d270c11862c3d4e6b"
		"eb6d4eff8540627096c049c7134e866676cfb7db6dfa29c895972e68"
		"4d5d3dcc94f14ba4ea3bb97762e8e560e0bef724c9284e4c04d86691"
		"6fe04db841a571949368cef743a03634ff4efdaab616df78f1d1fb0a"
		"dce1948797b7344d849b443b73fcc756ef45502f1e1cb52894da45a0"
		"8c3fd2135f54ec8d6b027b8dbd3a0327d54ef6904821d345fbf28dc3"
		"dcd7a2f0bb8585886a130df241d5175cb1fc013020f8d264ccdba511"
		"973d7cb15a5cb45e65ac7c86f7094af5cb23491b9a4e23893fedb25a"
		"caf28cab6476367d8118fbf466bb781effc87a4ab2dd9bc9eb6ca88a"
		"2fbd77a469d8d775d8fed47d7d3acbd9a1639e012b8c3749c43aef32"
		"62845970bac7eae9ecb9c3744ee2e61bf3b3f860bccae76b65ad7955"
		"62d17376cc600e8b5d355ad5500459d4c1c7a93ebee7fe95e4d7b50d"
		"d2e4e0ef751ba7f6e88eeb2536dfcfc0c2af9858029816ac72092381"
		"fcae82288d92ed6c4a1ecb8e640a4ee1935b1d12d8ea935091d9c6df"
		"1fd241b49d2c86534511e52fa2d17786144c2133fec19f623c92e1e0"
		"7f0dc34e69f84772d64868dd8257cb57bea87fffa168b752c808c2c9"
		"14b2515b78d471c2a78e436555ff66e9e1a5de0d5a9b743e76399ac3"
		"a0f77ff953284ae58f48ec7774d5cc264cc46151db31781a623c3aa6"
		"278e9dc6d82ec5afa6d3dc4b6ca26737d1ae9bdeb6541900e7294fcf"
		"1bf39e00960eafa0c9379d6a5befeff2b4cd4023ad7197bdabc35ec6"
		"6547c564226af8775969d0d1b5c31bcdc1e707a470fcdd39dccdc437"
		"dc5fe6701c993a0a0eef81c042907dfa2dc62678f30a70cb80865a9b"
		"9195921ceeeb79c551574b60b4af84a545d41b188a7e3792d1cbab43"
		"47a7067c93789be4acf62435ae71e150aaaa654b09b539693cc3a1dc"
		"8d1bd1a99defa796110b1a66eef9d0ae2d79856f9c04f7ce1ba03d28"
		"e65e7a0d56bcef7d4cd21c3787606af5504b840f72a0c5d1d8d47641"
		"a7a838b5e10f4206f488d3b363cbd079d8f902f2916524802421abf2"
		"67d6a96a7000113e5459a5758d7eded783832343e2f0126a3e3d2e18"
		"e3c0ace9194b5e4ef3dcf2ed901eda431662e115a180a2a26fe8c23f"
		"e25a25603539cc1bcdc267996e18f1ec7e6cb4288aaa0a2236e521ba"
		"4f4882b943660cdb56572949e76e53ea043f255e3bed8292f4730a49"
		"3ddc40de660f21d0474b6fd39a6369f621e083e948685c604a30bf6b"
		"ed730c953708f6ea673c41989440df73d3ac9909a6fb76b88dda22de"
		"aa2d6a150c52409f986f47c1664893e3",
		"c3",
		"edb726182deb6d76fde24ff39e34e0f32e9da0fc291049e782a34b20"
		"54590ef983bf03f469adbb30b0ee765729274d4e6fc7849f77d380d3"
		"f5bca966366aa1cd",
		"ea53a4fdc56b0eafa7566c8c226336de316740cdecc63f95bbe984a8"
		"5d364cd9cc7cc7bfb824a6128b9e655a21cef9b0aa5c4c7342c7a63e"
		"1531ec675c3b1af3",
		"42e2ce13225a909394952b525da9206306e6a5b85f157254302275b3"
		"5bd023879ff8bd7cc6a74681fe65008678a356e1cc2900f93640224a"
		"91a6f0eba2ab386c",
		"dd4488b7bdae52a9e00885539b027a150e27cc3bcd6a10da3aca5e47"
		"a68ae5257b9ee6020e3eb641419364ca7521c237d2228f98ca7b400b"
		"48eef0784b2fe03e",
	},
};

static const struct cavp sig_vectors[] = {
	{ /* SHA-1, g^xy 256 bits, nonces 64 bits, COUNT = 0 */
		IKEV2_PRF_HMAC_SHA1,
		"8c3bcd3a69831d7f",
		"d2d9a7ff4fbe95a7",
		"69a62284195f1680",
		"80c94ba25c8abda5",
		"8ba4cbc73c0187301dc19a975823854dbd641c597f637f8d053a83b9"
		"514673eb",
		NULL,
		"707197817fb2d90cf54d1842606bdea59b9f4823",
		"384be709a8a5e63c3ed160cfe3921c4b37d5b32d",
		"48b327575abe3adba0f279849e289022a13e2b47",
		"a4a415c8e0c38c0da847c356cc61c24df8025560",
	},
	{ /* SHA-256, g^xy 256 bits, nonces 64 bits, COUNT = 0 */
		IKEV2_PRF_HMAC_SHA2_256,
		"30293584b2cd84c2",
		"2402d7e8cf6958ca",
		"9da2d58f57f039f9",
		"204e0dd0ef04f372",
		"33f17afcb6134cbf1cab59877d42db3582226eff74dd37eb8b75e675"
		"645fc169",
		NULL,
		"804b4a1e0ec593cfb6e454524149396de234d0dae29f34a8fdb5f9af"
		"e76ea652",
		"f8ee9b1e8b7c03cf1595f7e197b0d873c5665453d512978c418823f5"
		"3f18e055",
		"3c9d88515fdd981741b99c482e8d88dacdb6f9fcec2dd22af2860871"
		"74645f49",
		"960563201c344d72797c3f92d81a1c36c7dbe9cbd59780cbaaeba7aa"
		"23deaf3c",
	},
	{ /* SHA-384, g^xy 256 bits, nonces 64 bits, COUNT = 0 */
		IKEV2_PRF_HMAC_SHA2_384,
		"1c8aba986a00af0f",
		"b049d9672f73c920",
		"cec89d845add83ef",
		"cebd43ab71d17db9",
		"1724dbd893523764bfef8c6fa927856fccfb77ae254358cce29c2769"
		"a32915c1",
		NULL,
		"6e4514610bf82d0ab7bf0260096f6146a153c712071abb633ced813c"
		"572156c783e36874a65a64690ca701d40d56ea18",
		"b083234e9ed7745911f93eb31faa66fcf88906266830eb17ef166d29"
		"5cb1f86a3543b8b8efa5df918533df537e9c809c",
		"938295a374aceb4147a8024c9a007dd313403fd8fd7070dbd0cfbe1c"
		"cd308dbfbb7b9e9c64049e4df44ff551016cb7b5",
		"8595b249dc1fa8599729f87eb6b9dd13bfbfdfd4f9ebd78929bab6ec"
		"c402539ad32cb6e7ef4ba6a0f53da14e4df07ed4",
	},
	{ /* SHA-512, g^xy 256 bits, nonces 64 bits, COUNT = 0 */
		IKEV2_PRF_HMAC_SHA2_512,
		"1ff4d76565b3151a",
		"1f11b8eb20d57a16",
		"acadc6314a69cfcd",
		"4e4ad17718fea7ce",
		"b15a9cfce8c8d7eab879d6243029d40188d3b740875a6ac62f56cac4"
		"377e2edd",
		NULL,
		"f05aa036dfce45a558d40418dea98096e519bc7841e3db3dd93658d1"
		"18c3e83b502f398ecb1361ec77d38a8855efff407f6f772e5d65b58e"
		"b1134096e8478d2b",
		"3c4be16a631aa49018fa6740745a61ab1f1a2455a96e91f159a134cc"
		"fe30303d68721696195e95bfd530510ef2f9532491878710944db785"
		"4f00ad13c68fca01",
		"15ecf5c80b675585e10c4388f6f9c37e8b63269a0a99851f08ba617e"
		"28c561f43eaf4112223ff97525bf0b3897f514fce7a3acee10a61ae0"
		"88c01efc5f643587",
		"60f6b6c10c2b6bedc085ad6546d993c9ce1f86918d1c935c89d66311"
		"70a5dab0e37298f21ca3b7901a53bde55a15fad39f782039ce26fc8c"
		"2ba8cbd9d4287669",
	},
	{ /* SHA-256, g^xy 256 bits, nonces 2048 bits, COUNT = 0 */
		IKEV2_PRF_HMAC_SHA2_256,
		"6c6beb72631ddc3d",
		"b84e24b22cffbd14",
		"b1dee62505b47b223bae14ce7a5b757402ad1587511618d09f94950d"
		"47f1d8d4ce86aca12d78db9854d86019ad735757ae79d8932ac0c7db"
		"842c85060150ca875ea5d47e3cfcb2a05922ebb7959d49b9797a2289"
		"676ee79a1d9a18b790f87e4771ddaf4be3376057a553162f68fe429a"
		"ca73b07234543801ba2122b1bde82251770d05df813cf556a11ca4dc"
		"43ffcb85a97dbed16e2fda6985e07e31be6364899e63c507c7c616e5"
		"eb7765a53560f76772de43918ba07badfe85244dcdcd917cb065afb6"
		"0e3b7e68b54dd94bfc7c31c8b752892781ed3cc4b7f28fbc0ab9af90"
		"8f5ae1f09f893f80100a7b3135993161b51fbba3bbb24b9f88c6147d"
		"e82cd6f0",
		"f0acfef2ad1f7add0eaafda78c1cf1097d9fc91cb04a7c145069ac42"
		"6fd164cbe661b1dd2df0fb84e19512181f0d8ea50b7860845f332757"
		"a8e56d2a3b7be436b5718a2d49baa996a4616684a208c2d611cd65e6"
		"05dca6e3d3f116859b4410fe13679696bb2e23c08a40c7e1316d54b4"
		"c9c0286701c221151b3642cb4112ca1a53e0e597a7e29c634caed86c"
		"a3c31973d37b4c346134fd6784cd99913feedf3d29d89a0a02a5a750"
		"f02f5738109dcc670bb27701fb59f78e83b76860c3fec079a1fc8c93"
		"7ddb58ae7500422b7e49ce63759c65b6bc439381d56bcc159edede89"
		"4b073841036ebfa050a5b3e7c876a3f18def26b1768a263ac66c9d83"
		"b680eb5e",
		"a1ff3dc6cf9b4c04709943cb4ca1f1789bcf360b03f1d027de3ae8ee"
		"039e9155",
		NULL,
		"750c5c94b9c2ec20b68033e024dadf0fa87e8b48c6561b21c7247845"
		"1a06583d",
		"a4f7ca7de913814813e3312099e7c943bd293483f387532330237f1b"
		"20957310",
		"1d4b705746c43b0a6fcbb8db33983c0f24ff6f8b6543e3779fed227c"
		"6067f004",
		"03e6f16cd9ce9f64b5cdc5b34cca7163483ba5389a30afebef3d1464"
		"0b0a815e",
	},
	{ /* SHA-1, g^xy 2048 bits, nonces 64 bits, COUNT = 0 */
		IKEV2_PRF_HMAC_SHA1,
		"54301963024156f5",
		"eaa8d2ce98d97f13",
		"5d58318d0767a193",
		"5de26de18128440a",
		"a6d90e195564a545e77de6ab7184a9b273c860de9ba5918eb4e8947f"
		"ab92e2a8d64bc477954dcd1fc1277e81d69848807aa8342975b5c16d"
		"ac0aff195e2d1109b030ca8ac93a778e5700a7a4f3f9b2849aaceb4a"
		"bc7d4b0b92218ca9ba2a8858fc7b0ce933e61470b7d7de7230837226"
		"652e124336901f8afe0eb53ac7c07b5529d877edac5d03b7c5d90860"
		"bd8099701ed75ae30e645a9165c380e2132f892488472d4941acfdb9"
		"90a8253ea3b63e2c3f4792081a89280ed067d69163ff954d4b1ac759"
		"4a2d322b802747f5f7fbd7a2423bb573b606b707a55cc9da1b620252"
		"0d72d208a597fb93916404f804697618fe3747892ddfb62468fcca29"
		"bf6e0c26",
		NULL,
		"90675480590ce12a34442707602478e53ce4822c",
		"d29032857df9d32163a7543a2d03939f6c5d2b31",
		"a0634192948ce4559e2bf45682098b9a7cfddd82",
		"645de341a146f4e15e92fa42265243441fe20c77",
	},
	{ /* SHA-512, g^xy 8192 bits, nonces 64 bits, COUNT = 0 */
		IKEV2_PRF_HMAC_SHA2_512,
		"8ad55d9f7c466b06",
		"26631f2081fce9e7",
		"ed78120a3ff0d428",
		"cc62e2b456b00eee",
		"a9665b735ab228bb5383389f568cb97f7ca2204879ac1e0ef2d78aba"
		"a7d300185c9c52a2a7a072c939740bc72ac24e9fa31cd26ec9fc4e52"
		"f5aeb5c3ba908f379601edaad2cd9a4859775471c80538cbc6db3af8"
		"2319492eea4f4adc34bcfbcdd23d4e7c68a153659c403584467f9e64"
		"1ab08e6deceeb5d1b1b6f5caaa5495096fb5758eb6e41a11bb99257e"
		"1069732a02c84d190c58c6d45e266db86ff67df3146f2a7d63cca862"
		"79f1e5489765f5bd889a1ebd18328b0051a00bee503ec9deaa740bc3"
		"eaa13d2e82aad5f83b779a6a686d30d177288cbd5926121a231c9911"
		"0eb9e7a014e22c48d4c81cbf1d9b7c7e9f6f73128de72c7f52732769"
		"801c952a689387fe2db0efc1e3ed91e54dc06e91583c6361be3c955d"
		"77d9f6cc5d39645433bdabdf51aa88a34873460ed93c49e508f40267"
		"c08df271dbc0f8055ded378c02d52f9d165ea2a8c0827d5931089b00"
		"9c13c0c6cfa0cd76a94bf346ae376d2270298e3f2475b84231d807cd"
		"171a6685b752d387a0d3cb1f3fd03f071533e1d8a0e5b814d9ca1615"
		"d9d43efa751d96af849358df585881ab1e6ebfaa989334dc07fc9bcc"
		"3f6118cdbf00cccfd04893f2886f771d7793b1eb32b6a18f3f4aa8cf"
		"9dc07fc2d9520b75b90feb7431f751acac1bb15900c855513b78548a"
		"ea60c0c05d62c9abcb811eeef1f2d8dbb4af3690e7bfbf3de6bb84c4"
		"98c5461dfe5691febec7b558ba41c99fc40eeae20bd467cf48e3de3a"
		"b9763acb263c901c0eedeb979b623fa70e89c80e865822c7ee7be3c5"
		"76a573784369d79e20515861465f35d90a8955dedf5390aeb7ad5f2d"
		"da50832baf359b6fac946c3c52e037e7249b285d0243dd9ca4589fbd"
		"71ab87e85eef6c3d71780287fdb1defd2243532290e908886f25ccf4"
		"4cd242a5f03a337977c3881814276633bf958ced94e7b29bc0893c15"
		"e24679639135e7959ac1eb8afcbeb5526f2f440ca6976848f3d5d63e"
		"1a2894a1cc91851471a28722122a3460d378bea6ecc836a670c9dca1"
		"ec3903967983b4928a63b92ed00879cc814f91bec771082812694f74"
		"57bb96770f81a7f075828813d654cc8dea0bc428fe5061ed94a2e555"
		"d5fa0eb9f44d0275965a25d65e2235fad23236dd26998a69e00bb1e6"
		"1d9fcb393bb64122b4c8f003cc40ff9004051b04756e8fa504d80a5d"
		"cb2d20fe85768d887756653754ea5b778005245b2c7bba61701de2ec"
		"c78ccf87a74898476b7e670895629950c4e52af102f74d6c14915180"
		"14442ea0c0a5791e8cb63d75c54e5e8fc213b535e6d6dfbd66bfa7c1"
		"567deff72ff3ed7aba23eabe94a363048e9bf7c7ef36902db2ae75ab"
		"3e92eac7e037f43d42ad13b84ef30698c4bcec8916c6f1be3f36f8a0"
		"423201130da4be71a916a6bd5969f534e282ec4332965d822fd3949c"
		"e2e8e92d07c1e8cb52bca06478166b77",
		NULL,
		"526f763ed50ff6c8597531848d03fafad69980e403339439a63108a3"
		"0a41720916d97e41fd65771dc2f6ccd4520c0bebee107cfa9a2828e0"
		"365514e8a4d579ed",
		"0266347000f20b7292ae2f7ff0fde0001fe087619327f69856c288d9"
		"ba6bc322e1ec077a5df89cfce9e97eb43f7601c8bff02caac545c223"
		"761653b107021f75",
		"054276570b5829102ef973369cc7530be73c42ed4b9312f27c1264b9"
		"ca3a4216895e39f7e5d15e03bf2591a0da0675c5585f0e1350de51a9"
		"49a778874ff2d01f",
		"4319e71577362b2b1b9e0e5ca18e59334f5ff2d729653e197439523c"
		"1aff8ca8f104261b5bab83eb1774aa68a392b8ca57b4a32a29c55aed"
		"afb4412b37034e7b",
	},
};

struct buf {
	uint8_t b[1100];
	size_t len;
};

static struct buf hex(const char *s)
{
	struct buf r;

	r.len = hex_decode(s, r.b, sizeof(r.b));
	assert_true(r.len != (size_t)-1);
	return r;
}

static void assert_hex(const uint8_t *got, size_t len, const char *want)
{
	struct buf w = hex(want);

	assert_int_equal(len, w.len);
	assert_memory_equal(got, w.b, len);
}

static void check_cavp(const struct cavp *v)
{
	struct buf cky_i = hex(v->cky_i), cky_r = hex(v->cky_r);
	struct buf ni = hex(v->ni), nr = hex(v->nr), gxy = hex(v->gxy);
	struct buf psk = { { 0 }, 0 };
	uint8_t skeyid[IKE_PRF_MAX_LEN];
	size_t len = ike_prf_len(v->prf);
	struct v1_keys k;

	assert_int_equal(cky_i.len, 8);
	assert_int_equal(cky_r.len, 8);
	if (v->psk)
		psk = hex(v->psk);
	assert_int_equal(v1_skeyid(v->prf, v->psk ? psk.b : NULL, psk.len,
				   ni.b, ni.len, nr.b, nr.len, gxy.b, gxy.len,
				   skeyid), 0);
	assert_hex(skeyid, len, v->skeyid);
	assert_int_equal(v1_keys_derive(v->prf, skeyid, gxy.b, gxy.len,
					cky_i.b, cky_r.b, 16, &k), 0);
	assert_int_equal(k.prf_len, len);
	assert_hex(k.skeyid, len, v->skeyid);
	assert_hex(k.skeyid_d, len, v->skeyid_d);
	assert_hex(k.skeyid_a, len, v->skeyid_a);
	assert_hex(k.skeyid_e, len, v->skeyid_e);
	/* Ka: SKEYID_e is longer than an AES-128 key, so its head. */
	assert_memory_equal(k.enc_key, k.skeyid_e, 16);
	v1_keys_wipe(&k);
}

static void test_cavp_psk(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(psk_vectors) / sizeof(psk_vectors[0]);
	     i++)
		check_cavp(&psk_vectors[i]);
}

static void test_cavp_sig(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(sig_vectors) / sizeof(sig_vectors[0]);
	     i++)
		check_cavp(&sig_vectors[i]);
}

/* ---------------------------------------------------------------- */
/* Independent computations, straight from RFC 2409 */

static const char *digest_of(uint16_t prf)
{
	return ike_prf_digest(prf);
}

/* prf(key, a | b | c | ...) over one explicit concatenation. */
static void ref_prf(uint16_t prf, const uint8_t *key, size_t key_len,
		    uint8_t *out, size_t n, ...)
{
	uint8_t msg[4096];
	size_t len = 0, out_len = 0;
	va_list ap;

	va_start(ap, n);
	for (size_t i = 0; i < n; i++) {
		const uint8_t *p = va_arg(ap, const uint8_t *);
		size_t l = va_arg(ap, size_t);

		assert_true(len + l <= sizeof(msg));
		memcpy(msg + len, p, l);
		len += l;
	}
	va_end(ap);
	assert_non_null(EVP_Q_mac(NULL, "HMAC", NULL, digest_of(prf), NULL,
				  key, key_len, msg, len, out,
				  IKE_PRF_MAX_LEN, &out_len));
	assert_int_equal(out_len, ike_prf_len(prf));
}

static void ref_hash(uint16_t prf, const uint8_t *a, size_t al,
		     const uint8_t *b, size_t bl, uint8_t *out)
{
	uint8_t msg[1100];
	unsigned int len = 0;

	memcpy(msg, a, al);
	memcpy(msg + al, b, bl);
	assert_int_equal(EVP_Digest(msg, al + bl, out, &len,
				    EVP_get_digestbyname(digest_of(prf)),
				    NULL), 1);
}

static const uint16_t all_prfs[] = {
	IKEV2_PRF_HMAC_MD5, IKEV2_PRF_HMAC_SHA1, IKEV2_PRF_HMAC_SHA2_256,
	IKEV2_PRF_HMAC_SHA2_384, IKEV2_PRF_HMAC_SHA2_512,
};

static uint8_t gxi[256], gxr[256], gxy[256], ni[32], nr[24], sa_b[52],
	       id_b[12], cky_i[8], cky_r[8], rest[80], gqm[128];

static void fill(uint8_t *p, size_t n, uint8_t seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(seed + i * 7);
}

static void setup_inputs(void)
{
	fill(gxi, sizeof(gxi), 1);
	fill(gxr, sizeof(gxr), 2);
	fill(gxy, sizeof(gxy), 3);
	fill(ni, sizeof(ni), 4);
	fill(nr, sizeof(nr), 5);
	fill(sa_b, sizeof(sa_b), 6);
	fill(id_b, sizeof(id_b), 7);
	fill(cky_i, 8, 8);
	fill(cky_r, 8, 9);
	fill(rest, sizeof(rest), 10);
	fill(gqm, sizeof(gqm), 11);
}

static void keys_for(uint16_t prf, size_t enc_len, struct v1_keys *k)
{
	static const uint8_t psk[] = "cisco123";
	uint8_t skeyid[IKE_PRF_MAX_LEN];

	assert_int_equal(v1_skeyid(prf, psk, sizeof(psk) - 1, ni, sizeof(ni),
				   nr, sizeof(nr), gxy, sizeof(gxy), skeyid),
			 0);
	assert_int_equal(v1_keys_derive(prf, skeyid, gxy, sizeof(gxy), cky_i,
					cky_r, enc_len, k), 0);
}

static void test_skeyid_chain_reference(void **state)
{
	static const uint8_t psk[] = "cisco123";
	uint8_t want[IKE_PRF_MAX_LEN], zero = 0, one = 1, two = 2;

	(void)state;
	setup_inputs();
	for (size_t i = 0; i < sizeof(all_prfs) / sizeof(all_prfs[0]); i++) {
		uint16_t prf = all_prfs[i];
		size_t len = ike_prf_len(prf);
		struct v1_keys k;

		keys_for(prf, 16, &k);
		ref_prf(prf, psk, sizeof(psk) - 1, want, 2, ni, sizeof(ni), nr,
			sizeof(nr));
		assert_memory_equal(k.skeyid, want, len);
		ref_prf(prf, k.skeyid, len, want, 4, gxy, sizeof(gxy), cky_i,
			(size_t)8, cky_r, (size_t)8, &zero, (size_t)1);
		assert_memory_equal(k.skeyid_d, want, len);
		ref_prf(prf, k.skeyid, len, want, 5, k.skeyid_d, len, gxy,
			sizeof(gxy), cky_i, (size_t)8, cky_r, (size_t)8, &one,
			(size_t)1);
		assert_memory_equal(k.skeyid_a, want, len);
		ref_prf(prf, k.skeyid, len, want, 5, k.skeyid_a, len, gxy,
			sizeof(gxy), cky_i, (size_t)8, cky_r, (size_t)8, &two,
			(size_t)1);
		assert_memory_equal(k.skeyid_e, want, len);
	}
}

/* Appendix B: Ka for AES-256 (32 bytes) and 3DES (24) from SHA-1's
 * 20-byte SKEYID_e (K1 | K2) and MD5's 16 (K1 | K2). */
static void test_cipher_key_expansion(void **state)
{
	static const struct { uint16_t prf; size_t enc_len; } cases[] = {
		{ IKEV2_PRF_HMAC_SHA1, 32 }, { IKEV2_PRF_HMAC_SHA1, 24 },
		{ IKEV2_PRF_HMAC_MD5, 24 }, { IKEV2_PRF_HMAC_MD5, 32 },
		{ IKEV2_PRF_HMAC_SHA2_256, 32 }, { IKEV2_PRF_HMAC_SHA1, 16 },
	};

	(void)state;
	setup_inputs();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint16_t prf = cases[i].prf;
		size_t len = ike_prf_len(prf), got = 0;
		uint8_t want[3 * IKE_PRF_MAX_LEN], zero = 0;
		struct v1_keys k;

		keys_for(prf, cases[i].enc_len, &k);
		if (cases[i].enc_len <= len) {
			memcpy(want, k.skeyid_e, len);
		} else {
			ref_prf(prf, k.skeyid_e, len, want, 1, &zero,
				(size_t)1);
			for (got = len; got < cases[i].enc_len; got += len)
				ref_prf(prf, k.skeyid_e, len, want + got, 1,
					want + got - len, len);
		}
		assert_int_equal(k.enc_len, cases[i].enc_len);
		assert_memory_equal(k.enc_key, want, cases[i].enc_len);
	}
}

static void test_ivs(void **state)
{
	uint8_t iv[16], want[EVP_MAX_MD_SIZE], mid[4] = { 0x8a, 0x1b, 0, 7 };

	(void)state;
	setup_inputs();
	for (size_t i = 0; i < sizeof(all_prfs) / sizeof(all_prfs[0]); i++) {
		uint16_t prf = all_prfs[i];

		assert_int_equal(v1_iv_phase1(prf, gxi, sizeof(gxi), gxr,
					      sizeof(gxr), 16, iv), 0);
		ref_hash(prf, gxi, sizeof(gxi), gxr, sizeof(gxr), want);
		assert_memory_equal(iv, want, 16);
		assert_int_equal(v1_iv_phase1(prf, gxi, sizeof(gxi), gxr,
					      sizeof(gxr), 8, iv), 0);
		assert_memory_equal(iv, want, 8);
		/* Quick Mode: hash(last phase-1 block | M-ID) */
		assert_int_equal(v1_iv_exchange(prf, rest, 16, 0x8a1b0007,
						iv), 0);
		ref_hash(prf, rest, 16, mid, 4, want);
		assert_memory_equal(iv, want, 16);
		assert_int_equal(v1_iv_exchange(prf, rest, 8, 0x8a1b0007, iv),
				 0);
		ref_hash(prf, rest, 8, mid, 4, want);
		assert_memory_equal(iv, want, 8);
	}
	/* A block longer than the digest cannot be cut from it. */
	assert_int_equal(v1_iv_phase1(IKEV2_PRF_HMAC_MD5, gxi, 4, gxr, 4, 32,
				      want), -1);
	assert_int_equal(v1_iv_phase1(0, gxi, 4, gxr, 4, 16, iv), -1);
}

static void test_hash_phase1(void **state)
{
	uint8_t got[IKE_PRF_MAX_LEN], want[IKE_PRF_MAX_LEN];

	(void)state;
	setup_inputs();
	for (size_t i = 0; i < sizeof(all_prfs) / sizeof(all_prfs[0]); i++) {
		uint16_t prf = all_prfs[i];
		size_t len = ike_prf_len(prf);
		struct v1_keys k;

		keys_for(prf, 16, &k);
		assert_int_equal(v1_hash_phase1(&k, true, gxi, sizeof(gxi), gxr,
						sizeof(gxr), cky_i, cky_r, sa_b,
						sizeof(sa_b), id_b,
						sizeof(id_b), got), 0);
		ref_prf(prf, k.skeyid, len, want, 6, gxi, sizeof(gxi), gxr,
			sizeof(gxr), cky_i, (size_t)8, cky_r, (size_t)8, sa_b,
			sizeof(sa_b), id_b, sizeof(id_b));
		assert_memory_equal(got, want, len);
		/* HASH_R: g^xr | g^xi | CKY-R | CKY-I | SAi_b | IDir_b */
		assert_int_equal(v1_hash_phase1(&k, false, gxi, sizeof(gxi),
						gxr, sizeof(gxr), cky_i, cky_r,
						sa_b, sizeof(sa_b), id_b,
						sizeof(id_b), got), 0);
		ref_prf(prf, k.skeyid, len, want, 6, gxr, sizeof(gxr), gxi,
			sizeof(gxi), cky_r, (size_t)8, cky_i, (size_t)8, sa_b,
			sizeof(sa_b), id_b, sizeof(id_b));
		assert_memory_equal(got, want, len);
	}
}

static void test_quick_mode_hashes(void **state)
{
	uint8_t got[IKE_PRF_MAX_LEN], want[IKE_PRF_MAX_LEN], zero = 0;
	uint8_t mid[4] = { 0xde, 0xad, 0xbe, 0xef };

	(void)state;
	setup_inputs();
	for (size_t i = 0; i < sizeof(all_prfs) / sizeof(all_prfs[0]); i++) {
		uint16_t prf = all_prfs[i];
		size_t len = ike_prf_len(prf);
		struct v1_keys k;

		keys_for(prf, 16, &k);
		assert_int_equal(v1_hash_qm1(&k, 0xdeadbeef, rest,
					     sizeof(rest), got), 0);
		ref_prf(prf, k.skeyid_a, len, want, 2, mid, (size_t)4, rest,
			sizeof(rest));
		assert_memory_equal(got, want, len);
		assert_int_equal(v1_hash_info(&k, 0xdeadbeef, rest,
					      sizeof(rest), got), 0);
		assert_memory_equal(got, want, len);
		assert_int_equal(v1_hash_qm2(&k, 0xdeadbeef, ni, sizeof(ni),
					     rest, sizeof(rest), got), 0);
		ref_prf(prf, k.skeyid_a, len, want, 3, mid, (size_t)4, ni,
			sizeof(ni), rest, sizeof(rest));
		assert_memory_equal(got, want, len);
		assert_int_equal(v1_hash_qm3(&k, 0xdeadbeef, ni, sizeof(ni),
					     nr, sizeof(nr), got), 0);
		ref_prf(prf, k.skeyid_a, len, want, 4, &zero, (size_t)1, mid,
			(size_t)4, ni, sizeof(ni), nr, sizeof(nr));
		assert_memory_equal(got, want, len);
	}
}

/* KEYMAT for ESP with AES-256 + SHA-512 integrity (96 bytes: several
 * blocks for every hash), with and without PFS. */
static void test_keymat(void **state)
{
	uint8_t got[96], want[96 + IKE_PRF_MAX_LEN];
	uint8_t proto = 3, spi[4] = { 0xc0, 0x01, 0xd0, 0x0d };

	(void)state;
	setup_inputs();
	for (size_t i = 0; i < sizeof(all_prfs) / sizeof(all_prfs[0]); i++) {
		uint16_t prf = all_prfs[i];
		size_t len = ike_prf_len(prf);
		struct v1_keys k;

		keys_for(prf, 16, &k);
		for (int pfs = 0; pfs < 2; pfs++) {
			size_t gl = pfs ? sizeof(gqm) : 0;

			assert_int_equal(v1_keymat(&k, pfs ? gqm : NULL, gl,
						   3, 0xc001d00d, ni,
						   sizeof(ni), nr, sizeof(nr),
						   got, sizeof(got)), 0);
			ref_prf(prf, k.skeyid_d, len, want, 5, gqm, gl,
				&proto, (size_t)1, spi, (size_t)4, ni,
				sizeof(ni), nr, sizeof(nr));
			for (size_t d = len; d < sizeof(got); d += len)
				ref_prf(prf, k.skeyid_d, len, want + d, 6,
					want + d - len, len, gqm, gl, &proto,
					(size_t)1, spi, (size_t)4, ni,
					sizeof(ni), nr, sizeof(nr));
			assert_memory_equal(got, want, sizeof(got));
		}
	}
}

static void test_bad_inputs(void **state)
{
	uint8_t out[IKE_PRF_MAX_LEN];
	struct v1_keys k;

	(void)state;
	setup_inputs();
	/* Unsupported PRF */
	assert_int_equal(v1_skeyid(99, ni, 4, ni, 4, nr, 4, gxy, 4, out), -1);
	assert_int_equal(v1_keys_derive(99, out, gxy, 4, cky_i, cky_r, 16,
					&k), -1);
	/* A cipher key over V1_KEY_MAX */
	assert_int_equal(v1_keys_derive(IKEV2_PRF_HMAC_SHA1, out, gxy, 4,
					cky_i, cky_r, V1_KEY_MAX + 1, &k), -1);
	/* Signature SKEYID with nonces too long for the key buffer */
	{
		static uint8_t big[400];

		assert_int_equal(v1_skeyid(IKEV2_PRF_HMAC_SHA1, NULL, 0, big,
					   sizeof(big), big, sizeof(big), gxy,
					   4, out), -1);
	}
	memset(&k, 0, sizeof(k));
	assert_int_equal(v1_keymat(&k, NULL, 0, 3, 1, ni, 4, nr, 4, out, 16),
			 -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cavp_psk),
		cmocka_unit_test(test_cavp_sig),
		cmocka_unit_test(test_skeyid_chain_reference),
		cmocka_unit_test(test_cipher_key_expansion),
		cmocka_unit_test(test_ivs),
		cmocka_unit_test(test_hash_phase1),
		cmocka_unit_test(test_quick_mode_hashes),
		cmocka_unit_test(test_keymat),
		cmocka_unit_test(test_bad_inputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
