# Drawn by the replicate harness; run `gnuplot ngram-head.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Attention of layer 2, head 1 from query 66 of test instance 0 (seed 1)"
set xlabel "key position j"
set ylabel "attention weight"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'ngram-head.png'
plot 'ngram-head.dat' index 0 using 1:2 with impulses lw 2 lc 1 title "attention weight", \
     'ngram-head.dat' index 1 using 1:2 with points lc 2 pt 2 title "followers of the current token, S_i(1)", \
     'ngram-head.dat' index 2 using 1:2 with points lc 3 pt 3 title "followers of the current bigram, S_i(2)"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'ngram-head.svg'
plot 'ngram-head.dat' index 0 using 1:2 with impulses lw 2 lc 1 title "attention weight", \
     'ngram-head.dat' index 1 using 1:2 with points lc 2 pt 2 title "followers of the current token, S_i(1)", \
     'ngram-head.dat' index 2 using 1:2 with points lc 3 pt 3 title "followers of the current bigram, S_i(2)"
unset output
