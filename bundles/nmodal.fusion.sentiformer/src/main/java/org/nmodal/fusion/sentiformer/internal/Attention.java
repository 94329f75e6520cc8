package org.nmodal.fusion.sentiformer.internal;

import ai.djl.ndarray.NDArray;
import org.nmodal.djl.Tensors;

/** The attention arithmetic of SentiFormer, on {@code [B, T, d]} token arrays, split into heads. */
final class Attention {
    private Attention() {}

    /**
     * Multi-head scaled dot-product attention {@code softmax(Q K^T / sqrt(d_head)) V}, each head on its slice of the
     * width.
     *
     * @param q {@code [B, Tq, d]}
     * @param k {@code [B, Tk, d]}
     * @param v {@code [B, Tk, d]}
     * @param keyBias added to the scores, {@code [B, 1, 1, Tk]} (a large negative number for keys to ignore), or null
     * @return {@code [B, Tq, d]}
     */
    static NDArray attend(NDArray q, NDArray k, NDArray v, int heads, NDArray keyBias) {
        long b = q.getShape().get(0);
        long tq = q.getShape().get(1);
        long tk = k.getShape().get(1);
        long d = q.getShape().get(2);
        long dk = d / heads;
        NDArray qh = q.reshape(b, tq, heads, dk).transpose(0, 2, 1, 3);
        NDArray kh = k.reshape(b, tk, heads, dk).transpose(0, 2, 3, 1);
        NDArray vh = v.reshape(b, tk, heads, dk).transpose(0, 2, 1, 3);
        NDArray scores = Tensors.div(qh.matMul(kh), (float) Math.sqrt(dk));
        if (keyBias != null) {
            scores = scores.add(keyBias);
        }
        return scores.softmax(-1).matMul(vh).transpose(0, 2, 1, 3).reshape(b, tq, d);
    }

    /**
     * One layer of adaptive relevance learning,
     * {@code H + W_o [softmax(Q K_p^T/sqrt(d)) V_p + softmax(Q K_v^T/sqrt(d)) V_v]} with {@code Q = H W_q},
     * {@code K_p = P W_kp}, {@code V_p = P W_vp}, {@code K_v = V W_kv}, {@code V_v = V W_vv}. A post lacking the prompt
     * (or the image) gets no prompt (image) term: the term is multiplied by its presence.
     *
     * @param h query tokens {@code [B, T, d]}
     * @param p prompt tokens, or null when the subset has no prompt
     * @param pPresent {@code [B]} 1 where the post has the prompt
     * @param v image tokens, or null when the subset has no image
     * @param vPresent {@code [B]} 1 where the post has the image
     * @param w {@code W_q, W_kp, W_vp, W_kv, W_vv, W_o}, each {@code [d, d]}
     */
    static NDArray relevance(NDArray h, NDArray p, NDArray pPresent, NDArray v, NDArray vPresent, NDArray[] w,
            int heads) {
        NDArray q = h.matMul(w[0]);
        NDArray sum = null;
        if (p != null) {
            NDArray term = attend(q, p.matMul(w[1]), p.matMul(w[2]), heads, null).mul(pPresent.reshape(-1, 1, 1));
            sum = term;
        }
        if (v != null) {
            NDArray term = attend(q, v.matMul(w[3]), v.matMul(w[4]), heads, null).mul(vPresent.reshape(-1, 1, 1));
            sum = sum == null ? term : sum.add(term);
        }
        return sum == null ? h : h.add(sum.matMul(w[5]));
    }
}
