# Drawn by the replicate harness; run `gnuplot loss-vs-tokens.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Held-out loss (no metadata) against training tokens"
set xlabel "training tokens (metadata included)"
set ylabel "ℓ_u (nats/token)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'loss-vs-tokens.png'
plot 'loss-vs-tokens.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "STD", \
     'loss-vs-tokens.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "MECO", \
     'loss-vs-tokens.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "URL100", \
     'loss-vs-tokens.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "STD@1.5T", \
     1.6488708533017389 with lines dt 2 lc rgb 'gray40' title "Bayes (posterior mixture), content tokens"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'loss-vs-tokens.svg'
plot 'loss-vs-tokens.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "STD", \
     'loss-vs-tokens.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "MECO", \
     'loss-vs-tokens.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "URL100", \
     'loss-vs-tokens.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "STD@1.5T", \
     1.6488708533017389 with lines dt 2 lc rgb 'gray40' title "Bayes (posterior mixture), content tokens"
unset output
